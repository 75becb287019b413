import { describe, expect, inject, it } from 'vitest';
import {
  bearer,
  call,
  createTenant,
  eventually,
  idempotencyKey,
  randomPhone,
} from './platform-client.js';

const stack = inject('stack');

const MESSAGES = 1_000;
/** Every fifth message of the send goes to the person who will text STOP. */
const TO_STOPPER_EVERY = 5;
const REQUESTS_AT_ONCE = 16;
/** The STOP arrives once this many requests of the send have been accepted. */
const STOP_AFTER = 150;
/** Carrier errors for that number armed just before the STOP (the SDK retries each call too). */
const CARRIER_FAULTS = 3;

interface SimPayload {
  text: string;
  received_at: string;
}

interface HistoryEntry {
  type: string;
  occurredAt: string;
}

async function received(to: string): Promise<SimPayload[]> {
  const answer = await call<{ data: SimPayload[] }>(
    `${stack.urls.carrierSim}/sim/messages?to=${encodeURIComponent(to)}`,
  );
  return answer.body.data;
}

describe('a STOP that arrives during a 1,000-message send', () => {
  it('stops every message to that number once the revocation is recorded', async () => {
    const tenant = await createTenant(stack, 'Bulk Co');
    const stopper = randomPhone();
    const bodyOf = (i: number) => `Bulk Co: your delivery window is confirmed (#${i})`;
    const toStopper: string[] = [];
    let accepted = 0;
    let stopInjected: Promise<unknown> | undefined;

    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < MESSAGES) {
        const i = next++;
        const to = i % TO_STOPPER_EVERY === 0 ? stopper : randomPhone();
        const answer = await call<{ id: string }>(`${stack.urls.gatewayHttp}/v1/messages`, {
          headers: { ...bearer(tenant), 'idempotency-key': idempotencyKey() },
          body: { to, body: bodyOf(i), purpose: 'transactional' },
        });
        expect(answer.status).toBe(202);
        if (to === stopper) toStopper.push(answer.body.id);
        accepted += 1;
        if (accepted === STOP_AFTER) {
          stopInjected = (async () => {
            // The carrier fails the next calls for that number, so messages cleared before
            // the STOP are still being retried when it arrives.
            const armed = await call(`${stack.urls.carrierSim}/sim/faults`, {
              body: { mode: 'http_500', count: CARRIER_FAULTS, to: stopper },
            });
            expect(armed.status).toBeLessThan(300);
            return call(`${stack.urls.carrierSim}/sim/inbound`, {
              body: { from: stopper, to: tenant.sender, text: 'Stop' },
            });
          })();
        }
      }
    };
    await Promise.all(Array.from({ length: REQUESTS_AT_ONCE }, worker));
    expect((await stopInjected) as { status: number }).toMatchObject({ status: 202 });

    // The consent ledger records the revocation; its time is the line nothing may cross.
    const revocation = await eventually(
      async () => {
        const history = await call<{ entries: HistoryEntry[] }>(
          `${stack.urls.gatewayHttp}/v1/consents/${encodeURIComponent(stopper)}/history`,
          { headers: bearer(tenant) },
        );
        return history.body.entries?.find((e) => e.type === 'ConsentRevoked');
      },
      { what: 'the revocation in the consent ledger', timeoutMs: 60_000 },
    );
    const revokedAt = Date.parse(revocation.occurredAt);

    // Every message of the send reaches its end: sent on, or blocked.
    const statuses = await eventually(
      async () => {
        const all = await Promise.all(
          toStopper.map(async (id) => {
            const answer = await call<{ status: string; reason?: string }>(
              `${stack.urls.gatewayHttp}/v1/messages/${id}`,
              { headers: bearer(tenant) },
            );
            return answer.body;
          }),
        );
        const settled = all.every((m) => !['queued', 'sending', 'scheduled'].includes(m.status));
        return settled ? all : undefined;
      },
      { what: 'every message to the stopper to settle', timeoutMs: 120_000, intervalMs: 500 },
    );

    const isBulk = (m: SimPayload) => m.text.startsWith('Bulk Co: your delivery window');
    // The confirmation may itself meet one of the armed carrier errors and be retried.
    const atCarrier = await eventually(
      async () => {
        const all = await received(stopper);
        return all.some((m) => !isBulk(m)) ? all : undefined;
      },
      { what: 'the opt-out confirmation at the carrier', timeoutMs: 30_000 },
    );
    const bulk = atCarrier.filter(isBulk);
    const others = atCarrier.filter((m) => !isBulk(m));
    // Nothing of the send reached the carrier for that number after the revocation was recorded.
    for (const message of bulk) expect(Date.parse(message.received_at)).toBeLessThan(revokedAt);
    // What the carrier took is exactly what was sent on; the rest was blocked for the opt-out
    // (or, at most, failed after the carrier's errors, never reaching the person).
    const blocked = statuses.filter((m) => m.status === 'blocked');
    const sentOn = statuses.filter((m) => ['sent', 'delivered'].includes(m.status));
    expect(bulk).toHaveLength(sentOn.length);
    expect(blocked.length).toBeGreaterThan(0);
    for (const message of blocked) expect(message.reason).toBe('recipient_opted_out');
    for (const message of statuses) {
      expect(['sent', 'delivered', 'blocked', 'failed']).toContain(message.status);
    }
    // One confirmation, and nothing else, went to the person who opted out.
    expect(others).toHaveLength(1);
    expect(others[0]?.text).toMatch(/START/);
  });
});
