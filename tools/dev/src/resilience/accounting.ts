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
