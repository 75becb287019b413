import { readFile } from 'node:fs/promises';
import { createServiceDataSource, migrateServiceDatabase } from '@textplane/event-store';
import { consentMigrations } from '../migrations/index.js';
import { consentRebuildTopics, rebuildConsentReadModels } from './consent-read-models.rebuild.js';
import { parseRebuildPlan } from './rebuild-plan.js';

/**
 * `node dist/rebuild/main.js <plan.json>`: migrates the plan's scratch database with the
 * consent migrations and rebuilds every consent read model there from the plan's events (see
 * RebuildPlan). The live database is never touched; comparing is the caller's business.
 */
async function main(argv: readonly string[]): Promise<void> {
  const [planFile] = argv;
  if (planFile === undefined) throw new Error('usage: rebuild <plan.json>');
  const plan = parseRebuildPlan(JSON.parse(await readFile(planFile, 'utf8')), consentRebuildTopics);
  const target = createServiceDataSource({
    url: plan.scratchDatabaseUrl,
    poolSize: 2,
    migrations: consentMigrations,
  });
  await target.initialize();
  try {
    await migrateServiceDatabase(target);
    await rebuildConsentReadModels(target, plan);
  } finally {
    await target.destroy();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`consent read-model rebuild failed: ${String(error)}\n`);
  if (error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
});
