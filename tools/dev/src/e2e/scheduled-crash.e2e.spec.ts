import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  bearer,
  call,
  carrierReceived,
  createTenant,
  eventually,
  idempotencyKey,
  phoneRange,
  type SimMessage,
  type TestTenant,
} from './platform-client.js';
import { withClient } from './rebuild/live-databases.js';

const stack = inject('stack');

const COUNT = 1_000;
const SPREAD_MS = 20_000;
const ACCEPT_CONCURRENCY = 32;
/**
 * From the first request to the start of the spread: the accepts (5 to 15 s on a busy 2-core
 * machine, slowest right after the stack started) finish first, so the spread really is ahead
 * when the last is accepted.
 */
const LEAD_MS = 15_000;
/**
 * Should the accepts be slower still, a message whose slot is closer than this to its request is
 * moved later, so it is still scheduled when the gateway takes it.
 */
const MIN_AHEAD_MS = 8_000;
/** Messaging is killed once this many have reached the carrier (about 5 s into the spread). */
const KILL_AFTER_RECEIVED = 250;

interface Message {
  id: string;
  status: string;
  sendAt: string | null;
}

interface Scheduled {
  id: string;
  to: string;
  body: string;
  sendAt: string;
}

async function control(path: string): Promise<void> {
  const answer = await fetch(`${stack.controlUrl}${path}`, { method: 'POST' });
  if (answer.status !== 204) throw new Error(`${path}: ${answer.status} ${await answer.text()}`);
}

/** Runs `work` for 0..count-1, at most `limit` at a time, each index started in order. */
async function forEachBounded<T>(
  count: number,
  limit: number,
  work: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      results[index] = await work(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return results;
}

describe('messaging SIGKILLed while scheduled messages are being released', () => {
  let tenant: TestTenant;

  beforeAll(async () => {
    tenant = await createTenant(stack, 'Scheduled Crash Co');
  });

  const messages = `${stack.urls.gatewayHttp}/v1/messages`;
  /** What the carrier accepted from this file's tenant (its sender number is its own). */
  const ours = async (): Promise<SimMessage[]> =>
    (await carrierReceived(stack)).filter((m) => m.from === tenant.sender);

  it('sends each of 1,000 messages scheduled over 20 s exactly once, none before its sendAt', async () => {
    let slowestAcceptMs = 0;
    const acceptStart = Date.now();
    const spreadStart = acceptStart + LEAD_MS;
    // Distinct recipients (1,000 random ones collide about one run in twenty).
    const recipients = phoneRange(COUNT, '+1667');
    const scheduled = await forEachBounded(COUNT, ACCEPT_CONCURRENCY, async (i) => {
      const slot = spreadStart + Math.floor((i * SPREAD_MS) / COUNT);
      const sendAt = new Date(Math.max(slot, Date.now() + MIN_AHEAD_MS)).toISOString();
      const to = recipients[i] ?? '';
      const body = `Appointment reminder #${i}.`;
      const requestedAt = Date.now();
      const answer = await call<Message>(messages, {
        headers: { ...bearer(tenant), 'idempotency-key': idempotencyKey() },
        body: { to, body, sendAt },
      });
      const tookMs = Date.now() - requestedAt;
      slowestAcceptMs = Math.max(slowestAcceptMs, tookMs);
      if (
        answer.status !== 202 ||
        answer.body.status !== 'scheduled' ||
        answer.body.sendAt !== sendAt
      ) {
        throw new Error(
          `message ${i} for ${sendAt}, asked ${sendAt ? Date.parse(sendAt) - requestedAt : 0} ms ahead: ${answer.status} ${JSON.stringify(answer.body)} after ${tookMs} ms`,
        );
      }
      return { id: answer.body.id, to, body, sendAt } satisfies Scheduled;
    });
    const acceptedAt = Date.now();
    const byId = new Map(scheduled.map((m) => [m.id, m]));
    expect(byId.size).toBe(COUNT);
    expect(new Set(scheduled.map((m) => m.to)).size).toBe(COUNT);
    const lastSendAt = Math.max(...scheduled.map((m) => Date.parse(m.sendAt)));

    // Kill messaging without warning once releases are well under way.
    const receivedBeforeKill = await eventually(
      async () => {
        const got = await ours();
        return got.length >= KILL_AFTER_RECEIVED ? got.length : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 50, what: `${KILL_AFTER_RECEIVED} releases` },
    );
    const killedAt = Date.now();
    await control('/services/messaging/kill?signal=SIGKILL');
    const atKill = (await ours()).length;
    // The test only proves something if messaging died with releases behind and ahead of it.
    expect(atKill).toBeLessThan(COUNT);
    const stillAhead = scheduled.filter((m) => Date.parse(m.sendAt) > killedAt).length;
    expect(stillAhead).toBeGreaterThan(COUNT / 4);
    await control('/services/messaging/restart');
    const restartedAt = Date.now();

    // A message goes to the carrier no earlier than its sendAt: the carrier ends up with all.
    await eventually(async () => ((await ours()).length >= COUNT ? true : undefined), {
      timeoutMs: 240_000,
      intervalMs: 500,
      what: `the carrier to receive ${COUNT} messages`,
    });
    const allAtCarrier = Date.now();

    // Every one is delivered, as the REST list shows.
    await eventually(
      async () => {
        const delivered = new Set<string>();
        let cursor: string | null = null;
        do {
          const query: string = `?status=delivered&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
          const page = await call<{ items: Message[]; nextCursor: string | null }>(
            `${messages}${query}`,
            { headers: bearer(tenant) },
          );
          if (page.status !== 200) throw new Error(`list: ${page.status}`);
          for (const item of page.body.items) delivered.add(item.id);
          cursor = page.body.nextCursor;
        } while (cursor);
        const waiting = [...byId.keys()].filter((id) => !delivered.has(id));
        // Named in the timeout: which ones never got there.
        if (waiting.length > 0)
          throw new Error(
            `${waiting.length} not delivered, e.g. ${waiting.slice(0, 3).join(', ')}`,
          );
        return true;
      },
      { timeoutMs: 120_000, intervalMs: 1_000, what: `all ${COUNT} messages delivered` },
    );
    const allDelivered = Date.now();

    // The resource of each says so too.
    const statuses = await forEachBounded(COUNT, ACCEPT_CONCURRENCY, async (i) => {
      const message = scheduled[i];
      if (!message) throw new Error(`no message ${i}`);
      const answer = await call<Message>(`${messages}/${message.id}`, { headers: bearer(tenant) });
      return answer.status === 200 ? answer.body.status : `HTTP ${answer.status}`;
    });
    expect(statuses.filter((s) => s !== 'delivered')).toEqual([]);

    // Exactly once at the carrier: the simulator logs each send it accepted (a replay under a
    // known idempotency key returns the first answer and is not logged again), so one entry per
    // message id, one per recipient (a second send under another key would show), nothing else
    // from this sender, each with its own text (after the brand prefix), none received before its
    // sendAt (the simulator's clock is this machine's: no tolerance).
    const received = await ours();
    expect(received).toHaveLength(COUNT);
    const perKey = new Map<string, number>();
    const perRecipient = new Map<string, number>();
    const problems: string[] = [];
    for (const entry of received) {
      const key = entry.idempotency_key ?? '(no key)';
      perKey.set(key, (perKey.get(key) ?? 0) + 1);
      perRecipient.set(entry.to, (perRecipient.get(entry.to) ?? 0) + 1);
      const message = byId.get(key);
      if (!message) {
        problems.push(`carrier got ${key} to ${entry.to}, not one of ours`);
        continue;
      }
      if (entry.to !== message.to || !entry.text.includes(message.body))
        problems.push(`${key}: carrier got "${entry.text}" to ${entry.to}`);
      if (Date.parse(entry.received_at) < Date.parse(message.sendAt))
        problems.push(`${key}: received ${entry.received_at}, before its sendAt ${message.sendAt}`);
    }
    expect(problems).toEqual([]);
    expect(perKey.size).toBe(COUNT);
    expect([...perKey.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(perRecipient.size).toBe(COUNT);
    expect([...perRecipient.entries()].filter(([, n]) => n !== 1)).toEqual([]);

    // How many carrier calls messaging repeated after the crash (answered as replays, since the
    // carrier logged each message once), and how late the releases were.
    const repeated = await withClient(stack.databaseUrls.messaging, async (client) => {
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM (
           SELECT stream_id FROM events
           WHERE type = 'messaging.MessageSubmissionStarted.v1' AND stream_id = ANY($1)
           GROUP BY stream_id HAVING count(*) > 1) repeated`,
        [[...byId.keys()].map((id) => `message-${id}`)],
      );
      return Number(rows[0]?.n ?? 0);
    });
    const lags = received
      .map(
        (e) =>
          Date.parse(e.received_at) - Date.parse(byId.get(e.idempotency_key ?? '')?.sendAt ?? ''),
      )
      .sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        acceptMs: acceptedAt - acceptStart,
        slowestAcceptMs,
        acceptsDoneBeforeSpread: acceptedAt <= spreadStart,
        receivedBeforeKill,
        killedIntoSpreadMs: killedAt - spreadStart,
        stillAheadAtKill: stillAhead,
        restartMs: restartedAt - killedAt,
        lastSendAtToAllAtCarrierMs: allAtCarrier - lastSendAt,
        allAtCarrierToAllDeliveredMs: allDelivered - allAtCarrier,
        repeatedCarrierCalls: repeated,
        lagMs: {
          p50: lags[Math.floor(COUNT / 2)],
          p99: lags[Math.floor(COUNT * 0.99)],
          max: lags.at(-1),
        },
      }),
    );
  }, 600_000);
});
