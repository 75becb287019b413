import { ConsumerGroups, dlqTopicFor } from '@textplane/contracts';
import { createKafka } from '@textplane/kafka';
import pg from 'pg';

/** How often the carrier received each accepted message, and what it received besides. */
export interface CarrierTally {
  /** Accepted messages the carrier received exactly once / never / more than once. */
  readonly once: number;
  readonly never: number;
  readonly twiceOrMore: number;
  /** Sends to this scenario's recipients that no accepted message explains. */
  readonly unexplained: number;
}

interface SimSend {
  readonly idempotency_key: string | null;
  readonly to: string;
}

/** Reads the simulator's log of accepted sends (`GET /sim/messages`; keyed by our message id). */
export async function carrierTally(
  carrierSimUrl: string,
  acceptedIds: readonly string[],
  recipients: ReadonlySet<string>,
): Promise<CarrierTally> {
  const response = await fetch(`${carrierSimUrl}/sim/messages`);
  if (!response.ok) throw new Error(`GET /sim/messages answered ${response.status}`);
  const { data } = (await response.json()) as { data: SimSend[] };
  const received = new Map<string, number>();
  let unexplained = 0;
  const accepted = new Set(acceptedIds);
  for (const send of data) {
    if (!recipients.has(send.to)) continue;
    if (send.idempotency_key === null || !accepted.has(send.idempotency_key)) {
      unexplained += 1;
      continue;
    }
    received.set(send.idempotency_key, (received.get(send.idempotency_key) ?? 0) + 1);
  }
  let once = 0;
  let never = 0;
  let twiceOrMore = 0;
  for (const id of acceptedIds) {
    const times = received.get(id) ?? 0;
    if (times === 0) never += 1;
    else if (times === 1) once += 1;
    else twiceOrMore += 1;
  }
  return { once, never, twiceOrMore, unexplained };
}

/** Records in every consumer group's DLQ (`<group>.dlq` of the registry), by topic. */
export async function deadLetters(brokers: readonly string[]): Promise<Record<string, number>> {
  const kafka = createKafka({ clientId: 'textplane-resilience', brokers: [...brokers] });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const counts: Record<string, number> = {};
    for (const group of Object.values(ConsumerGroups)) {
      const topic = dlqTopicFor(group);
      const offsets = await admin.fetchTopicOffsets(topic);
      counts[topic] = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
    }
    return counts;
  } finally {
    await admin.disconnect();
  }
}

/** Webhooks the simulator delivered, and those it gave up on after its retries. */
export async function webhookTally(
  carrierSimUrl: string,
): Promise<{ delivered: number; failed: number; pending: number }> {
  const response = await fetch(`${carrierSimUrl}/sim/stats`);
  if (!response.ok) throw new Error(`GET /sim/stats answered ${response.status}`);
  return (
    (await response.json()) as { webhooks: { delivered: number; failed: number; pending: number } }
  ).webhooks;
}

/**
 * Final outcomes that messaging learnt by asking the carrier (receipt reconciliation) rather
 * than from a webhook: theirs are the only final events no consumed event caused.
 */
export async function reconciledOutcomes(
  messagingDatabaseUrl: string,
  messageIds: readonly string[],
): Promise<number> {
  const client = new pg.Client({ connectionString: messagingDatabaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events
       WHERE stream_id = ANY($1::text[])
         AND type IN ('messaging.MessageDelivered.v1', 'messaging.MessageUndelivered.v1',
                      'messaging.MessageFailed.v1')
         AND NOT metadata ? 'causationId'`,
      [messageIds.map((id) => `message-${id}`)],
    );
    return rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}

/**
 * Where the accepted messages that are not final are held up, for the message of a failed proof:
 * their status in the gateway's read model and the last event of their stream in messaging, each
 * service's unpublished outbox, messaging's dispatch queue, and every consumer group's lag.
 */
export async function pipelineSnapshot(
  databaseUrls: { gateway: string; messaging: string; consent: string },
  brokers: readonly string[],
  messageIds: readonly string[],
): Promise<Record<string, unknown>> {
  const query = async <T extends pg.QueryResultRow>(
    url: string,
    sql: string,
    params: unknown[] = [],
  ): Promise<T[]> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end();
    }
  };
  const counted = (rows: Array<{ key: string | null; n: number }>) =>
    Object.fromEntries(rows.map((r) => [r.key ?? 'none', r.n]));
  const ids = [...messageIds];
  const [gatewayStatuses, messagingLastEvents, dispatchQueue, ...outboxes] = await Promise.all([
    query<{ key: string; n: number }>(
      databaseUrls.gateway,
      `SELECT status AS key, count(*)::int AS n FROM messages WHERE id = ANY($1::uuid[]) GROUP BY 1`,
      [ids],
    ),
    query<{ key: string | null; n: number }>(
      databaseUrls.messaging,
      `SELECT last.type AS key, count(*)::int AS n
       FROM unnest($1::text[]) AS s(stream_id)
       LEFT JOIN LATERAL (
         SELECT split_part(type, '.', 2) AS type FROM events e
         WHERE e.stream_id = s.stream_id ORDER BY global_position DESC LIMIT 1
       ) last ON true
       GROUP BY 1`,
      [ids.map((id) => `message-${id}`)],
    ),
    query<{ key: string; n: number }>(
      databaseUrls.messaging,
      `SELECT CASE WHEN claimed_until > now() THEN 'claimed'
                   WHEN waiting_for IS NOT NULL THEN 'waiting for ' || waiting_for
                   WHEN release_at <= now() THEN 'due' ELSE 'later' END AS key,
              count(*)::int AS n
       FROM dispatch_queue GROUP BY 1`,
    ).catch((error: unknown) => [{ key: `unreadable: ${String(error)}`, n: 0 }]),
    ...(['gateway', 'messaging', 'consent'] as const).map((service) =>
      query<{ key: string; n: number }>(
        databaseUrls[service],
        `SELECT '${service}' AS key, count(*)::int AS n FROM outbox`,
      ),
    ),
  ]);
  return {
    gatewayStatuses: counted(gatewayStatuses),
    messagingLastEvents: counted(messagingLastEvents),
    dispatchQueue: counted(dispatchQueue),
    unpublishedOutbox: counted(outboxes.flat()),
    consumerLag: await consumerLag(brokers),
  };
}

/** Records each consumer group has yet to commit past, over its topics (groups with lag only). */
async function consumerLag(brokers: readonly string[]): Promise<Record<string, number>> {
  const kafka = createKafka({ clientId: 'textplane-resilience', brokers: [...brokers] });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const lag: Record<string, number> = {};
    for (const group of Object.values(ConsumerGroups)) {
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId: group })) {
        const ends = new Map(
          (await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]),
        );
        const behind = partitions.reduce((sum, p) => {
          const committed = Number(p.offset);
          return sum + (ends.get(p.partition) ?? 0) - (committed < 0 ? 0 : committed);
        }, 0);
        if (behind > 0) lag[`${group} <- ${topic}`] = behind;
      }
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}
