import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { createLogger } from '@textplane/observability';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CarrierSubmission } from '../carrier.js';
import { TelnyxCarrier } from './telnyx-carrier.js';

/**
 * The exact HTTP requests the adapter makes through the SDK, against a local HTTP server (the
 * carrier faked at its boundary, not the SDK spied on), answered with the documented payloads
 * of testdata/; and the SDK's log, at its most talkative, never showing the API key.
 */

const API_KEY = 'KEY0192A3B4C5D6E7F8_h11-never-logged';
const CARRIER_ID = '40385f64-5717-4562-b3fc-2c963f66afa6';
const PROFILE_ID = '4000eba1-a0c0-4563-9925-b25e842a7cb6';

/** Telnyx's SDK honours `retry-after-ms`: the retry goes out at once, no backoff to wait for. */
const RETRY_AT_ONCE = { 'retry-after-ms': '1' };

function testdata(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./testdata/${name}.json`, import.meta.url), 'utf8'));
}

interface SeenRequest {
  method: string | undefined;
  path: string | undefined;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * Headers that Node's fetch adds (transport, content negotiation) and the SDK's telemetry
 * (`user-agent`, `x-stainless-*`: SDK version, OS, runtime) vary with the machine and the SDK
 * release, not with what the adapter asks: left out, so what remains is asserted exactly.
 */
const INCIDENTAL = new Set([
  'host',
  'connection',
  'content-length',
  'accept-encoding',
  'accept-language',
  'sec-fetch-mode',
  'user-agent',
]);

function meaningful(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) =>
      INCIDENTAL.has(name) || name.startsWith('x-stainless-') || typeof value !== 'string'
        ? []
        : [[name, value]],
    ),
  );
}

let server: Server;
let baseUrl: string;
const seen: SeenRequest[] = [];
let answers: Array<{ status: number; body: unknown; headers?: Record<string, string> }> = [];
const logged: string[] = [];

/** The service's own logger (pino, JSON lines) at debug, its lines read back from a stream. */
const capturingLogger = createLogger(
  'messaging',
  'debug',
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      logged.push(chunk.toString('utf8'));
      done();
    },
  }),
);

function carrier(options: { messagingProfileId?: string; maxRetries?: number } = {}) {
  return new TelnyxCarrier({
    apiKey: API_KEY,
    baseUrl,
    timeoutMs: 2_000,
    maxRetries: options.maxRetries ?? 0,
    ...(options.messagingProfileId ? { messagingProfileId: options.messagingProfileId } : {}),
    logger: capturingLogger,
    logLevel: 'debug',
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      seen.push({
        method: req.method,
        path: req.url,
        headers: meaningful(req.headers),
        body: text === '' ? undefined : (JSON.parse(text) as unknown),
      });
      const answer = answers.shift() ?? { status: 500, body: {} };
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen.length = 0;
  answers = [];
});

const sms: CarrierSubmission = {
  messageId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  from: '+15555550100',
  to: '+15555550123',
  body: 'Your table is ready',
  mediaUrls: [],
};

const sendHeaders = {
  accept: 'application/json',
  authorization: `Bearer ${API_KEY}`,
  'content-type': 'application/json',
  'idempotency-key': sms.messageId,
};

describe('the HTTP request of a send (POST /v2/messages)', () => {
  it.each([
    {
      name: 'an SMS',
      submission: sms,
      options: {},
      body: { from: sms.from, to: sms.to, text: sms.body },
    },
    {
      name: 'an MMS with text',
      submission: { ...sms, mediaUrls: ['https://media.example.com/cat.jpg'] },
      options: {},
      body: {
        from: sms.from,
        to: sms.to,
        text: sms.body,
        media_urls: ['https://media.example.com/cat.jpg'],
        type: 'MMS',
      },
    },
    {
      name: 'an MMS without text (no empty text field)',
      submission: { ...sms, body: '', mediaUrls: ['https://media.example.com/a.png'] },
      options: {},
      body: {
        from: sms.from,
        to: sms.to,
        media_urls: ['https://media.example.com/a.png'],
        type: 'MMS',
      },
    },
    {
      name: 'an SMS under a messaging profile',
      submission: sms,
      options: { messagingProfileId: PROFILE_ID },
      body: { from: sms.from, to: sms.to, text: sms.body, messaging_profile_id: PROFILE_ID },
    },
  ])('$name', async ({ submission, options, body }) => {
    answers = [{ status: 200, body: testdata('message-send-accepted') }];
    const result = await carrier(options).submit(submission);
    // Telnyx's answer names its parts and the recipient's network (T-Mobile): billing's capture.
    expect(result).toEqual({
      outcome: 'accepted',
      carrierMessageId: CARRIER_ID,
      parts: 1,
      recipientCarrier: 't-mobile',
    });
    expect(seen).toEqual([{ method: 'POST', path: '/v2/messages', headers: sendHeaders, body }]);
  });

  it.each([
    {
      name: "Telnyx's invalid-destination error as rejected, with its code",
      answer: { status: 400, body: testdata('error-invalid-to-address') },
      result: {
        outcome: 'rejected',
        errorCode: '40310',
        errorDetail: "The 'to' address should be a single valid number.",
      },
    },
    {
      name: "Telnyx's rate limit as unavailable, after its Retry-After",
      answer: {
        status: 429,
        body: testdata('error-too-many-requests'),
        headers: { 'retry-after': '7' },
      },
      result: {
        outcome: 'unavailable',
        errorDetail: 'You have exceeded the maximum number of allowed requests.',
        retryAfterMs: 7_000,
      },
    },
  ])('reads $name', async ({ answer, result }) => {
    answers = [answer];
    expect(await carrier().submit(sms)).toEqual(result);
    expect(seen).toHaveLength(1);
  });

  it('retries under the same Idempotency-Key, so the carrier can tell it is one send', async () => {
    answers = [
      { status: 503, body: {}, headers: RETRY_AT_ONCE },
      { status: 200, body: testdata('message-send-accepted') },
    ];
    expect(await carrier({ maxRetries: 1 }).submit(sms)).toMatchObject({ outcome: 'accepted' });
    expect(seen.map((request) => request.headers['idempotency-key'])).toEqual([
      sms.messageId,
      sms.messageId,
    ]);
    expect(seen[0]?.body).toEqual(seen[1]?.body);
  });
});

describe('the HTTP request of a retrieve (GET /v2/messages/{id})', () => {
  it.each([
    {
      name: 'a known message',
      status: 200,
      body: testdata('message-retrieved-delivered'),
      outcome: 'found',
    },
    {
      name: 'an unknown one',
      status: 404,
      body: testdata('error-resource-not-found'),
      outcome: 'unknown',
    },
  ])('asks about $name with the key and nothing else', async ({ status, body, outcome }) => {
    answers = [{ status, body }];
    expect(await carrier().lookup(CARRIER_ID)).toMatchObject({ outcome });
    expect(seen).toEqual([
      {
        method: 'GET',
        path: `/v2/messages/${CARRIER_ID}`,
        headers: { accept: 'application/json', authorization: `Bearer ${API_KEY}` },
        body: undefined,
      },
    ]);
  });

  it('puts the id in the path as one escaped segment', async () => {
    answers = [{ status: 404, body: testdata('error-resource-not-found') }];
    await carrier().lookup('a/../b?c');
    expect(seen[0]?.path).toBe('/v2/messages/a%2F..%2Fb%3Fc');
  });
});

describe('the API key and the logs', () => {
  it('never reaches the SDK log, whatever the call and its answer', async () => {
    logged.length = 0;
    answers = [
      { status: 200, body: testdata('message-send-accepted') },
      { status: 400, body: testdata('error-invalid-to-address') },
      { status: 503, body: {}, headers: RETRY_AT_ONCE },
      { status: 429, body: testdata('error-too-many-requests') },
      { status: 200, body: testdata('message-retrieved-delivered') },
      { status: 404, body: testdata('error-resource-not-found') },
    ];
    const results = [
      await carrier().submit(sms),
      await carrier().submit(sms),
      await carrier({ maxRetries: 1 }).submit(sms),
      await carrier().lookup(CARRIER_ID),
      await carrier().lookup(CARRIER_ID),
      await new TelnyxCarrier({
        apiKey: API_KEY,
        baseUrl: 'http://127.0.0.1:9/v2',
        timeoutMs: 1_000,
        maxRetries: 0,
        logger: capturingLogger,
        logLevel: 'debug',
      }).lookup(CARRIER_ID),
    ];
    // The log did see the requests (so this test can fail), headers included...
    expect(logged.some((line) => line.includes('/v2/messages'))).toBe(true);
    expect(logged.some((line) => line.includes('"authorization"'))).toBe(true);
    expect(logged.some((line) => line.includes('"carrier":"telnyx"'))).toBe(true);
    // ...but never the key, nor does any answer the adapter hands on to be logged or stored.
    expect(logged.filter((line) => line.includes(API_KEY))).toEqual([]);
    expect(inspect(results, { depth: null })).not.toContain(API_KEY);
  });
});
