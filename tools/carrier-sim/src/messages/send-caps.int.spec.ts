import { randomUUID } from 'node:crypto';
import Telnyx, { type APIError, RateLimitError } from 'telnyx';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningCarrierSim, startCarrierSim } from '../server.js';

const FROM = '+15555550100';
const OTHER = '+15555550101';
const start = Date.parse('2026-11-26T19:00:00.000Z');

/** The simulator's clock, moved by the test: no waiting on the wall clock. */
let clock = start;

interface Throughput {
  from: string | null;
  windowMs: number;
  unit: string;
  sends: number;
  busiest: { units: number; start: string | null };
}

describe('carrier simulator send caps (429 / 40318), through the Telnyx SDK', () => {
  let sim: RunningCarrierSim;
  let client: Telnyx;

  beforeAll(async () => {
    sim = await startCarrierSim({
      port: 0,
      // Nowhere to report to: these tests read what the carrier received, not its webhooks.
      webhookUrl: 'http://127.0.0.1:9/webhooks/telnyx',
      webhookAttemptsPerUrl: 1,
      deliveryDelayMs: 60_000,
      // Configured as CARRIER_SIM_SEND_CAPS=sender_per_minute=3 would.
      sendCaps: [{ scope: 'sender', windowMs: 60_000, limit: 3, unit: 'message' }],
      now: () => new Date(clock),
    });
    client = new Telnyx({
      apiKey: 'test',
      publicKey: sim.publicKey,
      baseURL: `${sim.url}/v2`,
      maxRetries: 0,
    });
  });

  afterAll(async () => {
    await sim.close();
  });

  beforeEach(async () => {
    clock = start;
    await fetch(`${sim.url}/sim/reset`, { method: 'POST' });
  });

  const send = (from: string, headers: Record<string, string> = {}, text = 'hello') =>
    client.messages.send({ from, to: '+15555551234', text }, { headers }).then(
      () => 'accepted' as const,
      (error: unknown) => error,
    );

  const throughput = async (query: string): Promise<Throughput> => {
    const res = await fetch(`${sim.url}/sim/throughput?${query}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { data: Throughput }).data;
  };

  const caps = async () =>
    ((await (await fetch(`${sim.url}/sim/caps`)).json()) as { data: unknown[] }).data;

  it('refuses the send over the configured cap with 429 and Telnyx error 40318, recording nothing', async () => {
    for (let i = 0; i < 3; i++) {
      clock = start + i * 1_000;
      expect(await send(FROM)).toBe('accepted');
    }
    clock = start + 59_999;
    const refused = await send(FROM);
    expect(refused).toBeInstanceOf(RateLimitError);
    expect((refused as APIError).status).toBe(429);
    expect((refused as APIError).error).toEqual({
      errors: [
        {
          code: '40318',
          title: 'Message queue full',
          detail: 'Message queue is full. Wait before resending.',
        },
      ],
    });
    // Each sender has its own count.
    expect(await send(OTHER)).toBe('accepted');
    clock = start + 60_000;
    expect(await send(FROM)).toBe('accepted');

    const list = await fetch(`${sim.url}/sim/messages?from=${encodeURIComponent(FROM)}`);
    const received = ((await list.json()) as { data: Array<{ received_at: string }> }).data;
    expect(received.map((m) => m.received_at)).toEqual([
      '2026-11-26T19:00:00.000Z',
      '2026-11-26T19:00:01.000Z',
      '2026-11-26T19:00:02.000Z',
      '2026-11-26T19:01:00.000Z',
    ]);
    expect(await throughput(`from=${encodeURIComponent(FROM)}&windowMs=60000`)).toEqual({
      from: FROM,
      windowMs: 60_000,
      unit: 'message',
      sends: 4,
      busiest: { units: 3, start: '2026-11-26T19:00:00.000Z' },
    });
    expect(await caps()).toEqual([
      { scope: 'sender', windowMs: 60_000, limit: 3, unit: 'message', rejected: 1 },
    ]);
  });

  it('a refused send spends no idempotency key: the retry after the wait goes through once', async () => {
    for (let i = 0; i < 3; i++) expect(await send(FROM)).toBe('accepted');
    const key = randomUUID();
    expect(await send(FROM, { 'Idempotency-Key': key })).toBeInstanceOf(RateLimitError);
    clock = start + 60_000;
    expect(await send(FROM, { 'Idempotency-Key': key })).toBe('accepted');
    // A replay of an accepted send is no new message: it counts against no cap.
    expect(await send(FROM, { 'Idempotency-Key': key })).toBe('accepted');
    expect((await throughput(`from=${encodeURIComponent(FROM)}`)).sends).toBe(4);
  });

  it('PUT /sim/caps sets caps for a test (an account cap in parts), DELETE /sim/caps and reset restore the configured', async () => {
    const put = await fetch(`${sim.url}/sim/caps`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        caps: [{ scope: 'account', windowMs: 1_000, limit: 3, unit: 'part' }],
      }),
    });
    expect(put.status).toBe(200);
    const twoParts = 'x'.repeat(200);
    expect(await send(FROM, {}, twoParts)).toBe('accepted');
    expect(await send(OTHER, {}, twoParts)).toBeInstanceOf(RateLimitError);
    expect(await send(OTHER)).toBe('accepted');
    expect(await throughput('windowMs=1000&unit=part')).toMatchObject({
      from: null,
      sends: 2,
      busiest: { units: 3 },
    });

    expect((await fetch(`${sim.url}/sim/caps`, { method: 'DELETE' })).status).toBe(204);
    expect(await caps()).toEqual([
      { scope: 'sender', windowMs: 60_000, limit: 3, unit: 'message', rejected: 0 },
    ]);
    await fetch(`${sim.url}/sim/caps`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ caps: [] }),
    });
    await fetch(`${sim.url}/sim/reset`, { method: 'POST' });
    expect(await caps()).toHaveLength(1);
  });

  it('refuses bad cap bodies and throughput queries with 400, changing nothing', async () => {
    const put = (body: string) =>
      fetch(`${sim.url}/sim/caps`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body,
      });
    const bad = await put(JSON.stringify({ caps: [{ scope: 'sender', windowMs: 0, limit: 1 }] }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: expect.stringMatching(/caps\[0\]\.windowMs/) as unknown,
    });
    expect((await put('{not json')).status).toBe(400);
    expect(await caps()).toHaveLength(1);
    expect((await fetch(`${sim.url}/sim/throughput?windowMs=0`)).status).toBe(400);
    expect((await fetch(`${sim.url}/sim/throughput?unit=segment`)).status).toBe(400);
  });
});
