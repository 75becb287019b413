import { readFile } from 'node:fs/promises';
import { createServiceDataSource, migrateServiceDatabase } from '@textplane/event-store';
import { messagingMigrations } from '../migrations/index.js';
import {
  messagingRebuildTopics,
  rebuildMessagingReadModels,
} from './messaging-read-models.rebuild.js';
import { parseRebuildPlan } from './rebuild-plan.js';

/**
 * `node dist/rebuild/main.js <plan.json>`: migrates the plan's scratch database with the
 * messaging migrations and rebuilds every messaging read model there from the plan's events (see
 * RebuildPlan). The live database is never touched; comparing is the caller's business.
 */
async function main(argv: readonly string[]): Promise<void> {
  const [planFile] = argv;
  if (planFile === undefined) throw new Error('usage: rebuild <plan.json>');
  const plan = parseRebuildPlan(
    JSON.parse(await readFile(planFile, 'utf8')),
    messagingRebuildTopics,
  );
  const target = createServiceDataSource({
    url: plan.scratchDatabaseUrl,
    poolSize: 2,
    migrations: messagingMigrations,
  });
  await target.initialize();
  try {
    await migrateServiceDatabase(target);
    await rebuildMessagingReadModels(target, plan);
  } finally {
    await target.destroy();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`messaging read-model rebuild failed: ${String(error)}\n`);
  if (error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
});
