import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ConsumedEvent } from '@textplane/kafka';
import { withClient } from './live-databases.js';
import type { RebuildService } from './read-model-tables.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));

/** What a service's rebuild command reads (RebuildPlan in services/<service>/src/rebuild/). */
export interface RebuildPlan {
  scratchDatabaseUrl: string;
  store: Array<ConsumedEvent & { streamType: string }>;
  topics: Record<string, ConsumedEvent[]>;
}

/** An empty database on the stack's server, for one service's rebuilt read models. */
export async function createScratchDatabase(
  postgresUrl: string,
  service: RebuildService,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `tp_rebuild_${service}_${randomBytes(4).toString('hex')}`;
  await withClient(postgresUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await withClient(postgresUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      );
    },
  };
}

/**
 * Runs the service's own rebuild command (`services/<service>/dist/rebuild/main.js`, built with
 * the services): the projections are the service's code, which a tool does not import.
 */
export async function runRebuild(service: RebuildService, plan: RebuildPlan): Promise<void> {
  const entry = path.join(repoRoot, 'services', service, 'dist/rebuild/main.js');
  await access(entry).catch(() => {
    throw new Error(`${entry} is missing: build the services first (nx run-many -t build)`);
  });
  const dir = await mkdtemp(path.join(tmpdir(), `tp-rebuild-${service}-`));
  try {
    const planFile = path.join(dir, 'plan.json');
    await writeFile(planFile, JSON.stringify(plan));
    await run(process.execPath, [entry, planFile], { cwd: repoRoot }).catch((error: unknown) => {
      const stderr = (error as { stderr?: string }).stderr ?? '';
      throw new Error(`the ${service} rebuild failed: ${stderr || String(error)}`);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
