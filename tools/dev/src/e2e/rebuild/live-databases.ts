import pg from 'pg';
import type { ReadModelTable, RebuildService } from './read-model-tables.js';

export type Rows = Array<Record<string, unknown>>;

/** Runs `work` with a client of `url`, closed afterwards. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A read model's whole table, in key order, without the columns not derived from events. */
export async function tableRows(client: pg.Client, spec: ReadModelTable): Promise<Rows> {
  const { rows } = await client.query<Record<string, unknown>>(
    `SELECT * FROM ${spec.table} ORDER BY ${spec.orderBy}`,
  );
  const dropped = new Set(spec.notFromEvents ?? []);
  return rows.map((row) =>
    Object.fromEntries(Object.entries(row).filter(([c]) => !dropped.has(c))),
  );
}

/** A stored event, with its position, as the outbox relay publishes it. */
export interface StoredEventRow {
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_type: string;
  type: string;
  data: unknown;
  metadata: { tenantId?: string; correlationId?: string; causationId?: string };
  occurred_at: Date;
}

export async function storedEvents(client: pg.Client, through: string): Promise<StoredEventRow[]> {
  const { rows } = await client.query<StoredEventRow>(
    `SELECT global_position, event_id, stream_id, stream_type, type, data, metadata, occurred_at
     FROM events WHERE global_position <= $1 ORDER BY global_position`,
    [through],
  );
  return rows;
}

/** Where a service's store stands: its last position, and what the relay has yet to publish. */
export interface StorePosition {
  lastPosition: string;
  unpublished: number;
}

export async function storePosition(client: pg.Client): Promise<StorePosition> {
  const { rows } = await client.query<{ last: string | null; unpublished: number }>(
    `SELECT (SELECT max(global_position) FROM events)::text AS last,
            (SELECT count(*) FROM outbox)::int AS unpublished`,
  );
  return { lastPosition: rows[0]?.last ?? '0', unpublished: rows[0]?.unpublished ?? 0 };
}

export type ServiceUrls = Readonly<Record<RebuildService, string>>;
