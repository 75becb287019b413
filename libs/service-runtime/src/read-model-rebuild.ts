import { readFile } from 'node:fs/promises';
import { createServiceDataSource, migrateServiceDatabase } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import type { DataSource, MigrationInterface } from 'typeorm';

/**
 * What a read-model rebuild replays into an empty database: the service's own stored events
 * (each as the outbox relay publishes it, with its stream type) and the events read from the
 * topics it consumes. Written to a file by whoever drives the rebuild (the end-to-end test), read
 * by the service's rebuild command; plain JSON on both sides.
 */
export interface RebuildPlan {
  /** An empty database: the service's migrations are run there, then the read models rebuilt. */
  scratchDatabaseUrl: string;
  /** The store's events in global-position order. */
  store: StoredEnvelope[];
  /** Topic name → its events, each partition in offset order. */
  topics: Record<string, ConsumedEvent[]>;
}

export interface StoredEnvelope extends ConsumedEvent {
  streamType: string;
}

/** The plan, checked enough that a wrong file is a clear error rather than an empty rebuild. */
export function parseRebuildPlan(json: unknown, topics: readonly string[]): RebuildPlan {
  if (typeof json !== 'object' || json === null) throw new Error('a rebuild plan is an object');
  const plan = json as Partial<RebuildPlan>;
  if (typeof plan.scratchDatabaseUrl !== 'string' || plan.scratchDatabaseUrl === '') {
    throw new Error('the rebuild plan has no scratchDatabaseUrl');
  }
  if (!Array.isArray(plan.store)) throw new Error('the rebuild plan has no store array');
  for (const topic of topics) {
    if (!Array.isArray(plan.topics?.[topic])) {
      throw new Error(`the rebuild plan has no event array for topic ${topic}`);
    }
  }
  for (const event of [...plan.store, ...Object.values(plan.topics ?? {}).flat()]) {
    if (typeof event.id !== 'string' || typeof event.type !== 'string' || !('data' in event)) {
      throw new Error(`the rebuild plan holds an event without id, type or data`);
    }
  }
  return plan as RebuildPlan;
}

/** Consecutive slices of at most `size`, in order (one transaction each). */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    chunks.push(items.slice(start, start + size));
  }
  return chunks;
}

export interface ReadModelRebuild {
  /** For messages: "gateway", "consent"... */
  service: string;
  migrations: Array<new () => MigrationInterface>;
  /** The topics the plan must bring events for. */
  topics: readonly string[];
  rebuild(target: DataSource, plan: RebuildPlan): Promise<void>;
}

/**
 * A service's rebuild command, `node dist/rebuild/main.js <plan.json>`: migrates the plan's
 * scratch database with the service's migrations and rebuilds every read model there from the
 * plan's events. The live database is never touched; comparing is the caller's business.
 */
export function runReadModelRebuild(spec: ReadModelRebuild, argv: readonly string[]): void {
  rebuildFromPlanFile(spec, argv).catch((error: unknown) => {
    process.stderr.write(`${spec.service} read-model rebuild failed: ${String(error)}\n`);
    if (error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  });
}

async function rebuildFromPlanFile(spec: ReadModelRebuild, argv: readonly string[]): Promise<void> {
  const [planFile] = argv;
  if (planFile === undefined) throw new Error('usage: rebuild <plan.json>');
  const plan = parseRebuildPlan(JSON.parse(await readFile(planFile, 'utf8')), spec.topics);
  const target = createServiceDataSource({
    url: plan.scratchDatabaseUrl,
    poolSize: 2,
    migrations: spec.migrations,
  });
  await target.initialize();
  try {
    await migrateServiceDatabase(target);
    await spec.rebuild(target, plan);
  } finally {
    await target.destroy();
  }
}
