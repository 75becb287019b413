import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// SWC compiles the tests so NestJS gets decorator metadata, which Vite's own transform omits.
const swcPlugin = swc.vite({
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
});

// Workspace libraries resolve to their TypeScript sources, so tests need no prior build.
const conditions = ['@textplane/source', 'node', 'default'];

const exclude = ['**/node_modules/**', '**/dist/**', '.cache/**'];

export default defineConfig({
  plugins: [swcPlugin],
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['**/*.unit.spec.ts'], exclude },
      },
      {
        extends: true,
        test: {
          name: 'int',
          include: ['**/*.int.spec.ts'],
          exclude,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['**/*.e2e.spec.ts'],
          exclude,
          // One running platform (Kafka, Postgres, every service) shared by all e2e files.
          globalSetup: ['tools/dev/src/e2e/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'resilience',
          include: ['**/*.resilience.spec.ts'],
          exclude,
          // Each file starts and crashes a stack of its own (its own Postgres and Kafka broker).
          testTimeout: 900_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
