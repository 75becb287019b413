import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptedDetailOf, TelnyxCarrier } from './telnyx-carrier.js';

/** What `GET /v2/messages/{id}` returns, from testdata, with `to[0].status` and errors set. */
function retrieved(status: string, errors: unknown[] = []): Record<string, unknown> {
  const fixture = JSON.parse(
    readFileSync(new URL('./testdata/message-retrieved-delivered.json', import.meta.url), 'utf8'),
  ) as { data: Record<string, unknown> & { to: Array<Record<string, unknown>> } };
  const { data } = fixture;
  return { data: { ...data, to: [{ ...data.to[0], status }], errors } };
}

const CARRIER_ID = '40385f64-5717-4562-b3fc-2c963f66afa6';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
}

let server: Server;
let answer: { status: number; body: unknown } = { status: 200, body: {} };
const seen: Seen[] = [];
let carrier: TelnyxCarrier;

beforeAll(async () => {
  // The carrier faked at its HTTP boundary: the SDK's real request goes out and is recorded.
  server = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, headers: req.headers });
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  carrier = new TelnyxCarrier({
    apiKey: 'KEY-secret',
    baseUrl: `http://127.0.0.1:${port}/v2`,
    timeoutMs: 2_000,
    maxRetries: 0,
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('Telnyx message lookup (GET /v2/messages/{id})', () => {
  it('asks for the message by its Telnyx id with the API key', async () => {
    answer = { status: 200, body: retrieved('delivered') };
    seen.length = 0;
    await carrier.lookup(CARRIER_ID);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      method: 'GET',
      url: `/v2/messages/${CARRIER_ID}`,
      headers: { authorization: 'Bearer KEY-secret' },
    });
  });

  it.each([
    ['queued', 'queued', null, null],
    ['sending', 'sending', null, null],
    ['sent', 'sent', null, null],
    ['delivered', 'delivered', null, null],
    ['delivery_failed', 'undelivered', 'delivery_failed', 'carrier reported delivery failed'],
    ['sending_failed', 'failed', 'sending_failed', 'carrier reported sending failed'],
    [
      'delivery_unconfirmed',
      'undelivered',
      'delivery_unconfirmed',
      'carrier reported delivery unconfirmed',
    ],
    ['expired', 'undelivered', 'expired', 'carrier reported expired'],
  ] as const)(
    'reads to[].status %s as a %s report',
    async (telnyxStatus, status, errorCode, errorDetail) => {
      answer = { status: 200, body: retrieved(telnyxStatus) };
      expect(await carrier.lookup(CARRIER_ID)).toEqual({
        outcome: 'found',
        report: {
          kind: 'status',
          carrierMessageId: CARRIER_ID,
          status,
          carrierStatus: telnyxStatus,
          errorCode,
          errorDetail,
          occurredAt: new Date('2026-11-26T12:00:02.512Z'),
        },
      });
    },
  );

  it("keeps the carrier's error code of a failed delivery", async () => {
    answer = {
      status: 200,
      body: retrieved('delivery_failed', [
        { code: '40002', title: 'Blocked as spam - temporary', detail: 'Flagged as spam.' },
      ]),
    };
    expect(await carrier.lookup(CARRIER_ID)).toMatchObject({
      outcome: 'found',
      report: {
        status: 'undelivered',
        carrierStatus: 'delivery_failed',
        errorCode: '40002',
        errorDetail: 'Flagged as spam.',
      },
    });
  });

  it.each([
    [
      'a 404 as unknown',
      404,
      { errors: [{ code: '10005', title: 'Resource not found', detail: 'Not found.' }] },
      { outcome: 'unknown', detail: 'Not found.' },
    ],
    ['a 503 as unavailable', 503, {}, { outcome: 'unavailable' }],
    ['a 401 as unavailable', 401, {}, { outcome: 'unavailable' }],
    ['an unknown status as unavailable', 200, retrieved('teleported'), { outcome: 'unavailable' }],
    [
      'an inbound message as unavailable',
      200,
      { data: { direction: 'inbound', id: CARRIER_ID } },
      { outcome: 'unavailable' },
    ],
  ])('reads %s', async (_name, status, body, expected) => {
    answer = { status, body };
    expect(await carrier.lookup(CARRIER_ID)).toMatchObject(expected);
  });

  it('reads an unreachable carrier as unavailable', async () => {
    const unreachable = new TelnyxCarrier({
      apiKey: 'KEY-secret',
      baseUrl: 'http://127.0.0.1:9/v2',
      timeoutMs: 1_000,
      maxRetries: 0,
    });
    expect(await unreachable.lookup(CARRIER_ID)).toMatchObject({ outcome: 'unavailable' });
  });
});

describe("what billing reads of Telnyx's answer to a send", () => {
  it.each([
    [
      { parts: 3, to: [{ carrier: 'AT&T WIRELESS' }] },
      { parts: 3, recipientCarrier: 'att' },
    ],
    [
      { parts: 1, to: [{ carrier: 'Cellco Partnership dba Verizon' }] },
      { parts: 1, recipientCarrier: 'verizon' },
    ],
    // A network billing has no fee for, or none named: the fee is the capture's to decide.
    [{ parts: 2, to: [{ carrier: 'TELNYX LLC' }] }, { parts: 2 }],
    [{ parts: 2, to: [] }, { parts: 2 }],
    // No usable part count: billing captures what it held.
    [{ parts: null, to: null }, {}],
    [{ parts: 0 }, {}],
    [{ parts: 1.5 }, {}],
  ])('%j → %j', (data, detail) => {
    expect(acceptedDetailOf(data)).toEqual(detail);
  });
});
