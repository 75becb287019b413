import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { EventStore, GroupAppender } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import { outboxContractCheck } from '@textplane/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '@textplane/service-runtime';
import { gatewayMigrations } from '../migrations/index.js';
import { ApiError } from '../problems/api-error.js';
import { storedEventIdOf, TelnyxWebhookReceiver } from './telnyx-webhook-receiver.js';

const keys = generateKeyPairSync('ed25519');
/** The raw 32-byte public key, base64, as Telnyx publishes it (the end of its SPKI DER form). */
const publicKey = keys.publicKey
  .export({ format: 'der', type: 'spki' })
  .subarray(-32)
  .toString('base64');
const now = new Date('2026-12-01T12:00:00.000Z');
const clock: Clock = { now: () => now };

let database: TestDatabase;
let store: EventStore;
let receiver: TelnyxWebhookReceiver;

beforeAll(async () => {
  database = await createTestDatabase({ migrations: gatewayMigrations });
  // Checked at append as in the running gateway: what is recorded here is also publishable.
  store = new EventStore(database.dataSource, { check: outboxContractCheck });
  receiver = new TelnyxWebhookReceiver(publicKey, new GroupAppender(store), clock);
});

afterAll(async () => {
  await database.drop();
});

/** Signs as Telnyx does: Ed25519 over `timestamp|raw body`, the timestamp being the real now. */
function signed(body: string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    'content-type': 'application/json',
    'telnyx-timestamp': timestamp,
    'telnyx-signature-ed25519': sign(
      null,
      Buffer.from(`${timestamp}|${body}`),
      keys.privateKey,
    ).toString('base64'),
  };
}

/** An inbound text as Telnyx's JSON carries it; `text` is spliced in as raw JSON (escapes kept). */
function inbound(webhookId: string, carrierMessageId: string, textJson: string): string {
  return `{"data":{"event_type":"message.received","id":"${webhookId}","occurred_at":"${now.toISOString()}","record_type":"event","payload":{"id":"${carrierMessageId}","direction":"inbound","from":{"phone_number":"+15557765001"},"to":[{"phone_number":"+15555550100"}],"text":${textJson}}}}`;
}

async function recorded(carrierMessageId: string) {
  return store.readStream(`carrier-message-${carrierMessageId}`);
}

describe('an inbound text with characters Postgres refuses', () => {
  it.each([
    ['U+0000', '"STOP\\u0000"', 'STOP\uFFFD'],
    ['a lone high surrogate', '"STOP\\ud800"', 'STOP\uFFFD'],
    ['a lone low surrogate', '"\\udc00hello"', '\uFFFDhello'],
    [
      'NUL and a lone surrogate among paired ones',
      '"a\\u0000\\ud83d\\ude00\\ud800b"',
      'a\uFFFD😀\uFFFDb',
    ],
  ])(
    'with %s is recorded, U+FFFD in the payload and the exact body beside it',
    async (_, textJson, stored) => {
      const carrierMessageId = randomUUID();
      const body = inbound(randomUUID(), carrierMessageId, textJson);
      await expect(receiver.receive(body, signed(body))).resolves.toBe('recorded');
      const [event] = await recorded(carrierMessageId);
      expect(event?.data).toMatchObject({ payload: { text: stored }, rawBody: body });
      // The exact body gives back what the carrier sent.
      const original = JSON.parse((event?.data as { rawBody: string }).rawBody) as {
        data: { payload: { text: string } };
      };
      expect(original.data.payload.text).toBe(JSON.parse(textJson));
    },
  );

  it('replaces them in every string, keys and ids included', async () => {
    const carrierMessageId = randomUUID();
    const body = `{"data":{"event_type":"message.received","id":"${randomUUID()}","payload":{"id":"${carrierMessageId}","text":"hi","tags":["a\\u0000"],"x\\u0000y":{"z":"\\udfff"}}}}`;
    await receiver.receive(body, signed(body));
    const [event] = await recorded(carrierMessageId);
    expect(event?.data).toMatchObject({
      payload: { tags: ['a\uFFFD'], 'x\uFFFDy': { z: '\uFFFD' } },
      rawBody: body,
    });
  });

  it('records a webhook with them in data.id, event_type and payload.id alike', async () => {
    const carrierMessageId = randomUUID();
    const body = `{"data":{"event_type":"message.\\udf5a","id":"檑\\udf5a∍-${carrierMessageId}","occurred_at":"\\"; DROP TABLE messages; --","payload":{"id":"${carrierMessageId}\\ud800","direction":"outbound","type":"MMS","media":-2067893931}}}`;
    await expect(receiver.receive(body, signed(body))).resolves.toBe('recorded');
    await expect(receiver.receive(body, signed(body))).resolves.toBe('duplicate');
    const events = await recorded(`${carrierMessageId}\uFFFD`);
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({ eventType: 'message.\uFFFD', rawBody: body });
  });

  it('keeps no second copy of a body that needed nothing', async () => {
    const carrierMessageId = randomUUID();
    const body = inbound(randomUUID(), carrierMessageId, '"STOP 🛑 ünïcode"');
    await receiver.receive(body, signed(body));
    const [event] = await recorded(carrierMessageId);
    expect(event?.data).toMatchObject({ payload: { text: 'STOP 🛑 ünïcode' } });
    expect(event?.data).not.toHaveProperty('rawBody');
  });
});

describe('occurred_at', () => {
  function reportedAt(occurredAt: string, carrierMessageId: string): string {
    return `{"data":{"event_type":"message.finalized","id":"${randomUUID()}","occurred_at":"${occurredAt}","record_type":"event","payload":{"id":"${carrierMessageId}","to":[{"phone_number":"+15557765001","status":"delivered"}]}}}`;
  }

  it.each([
    ['past year 9999', '+275760-09-13T00:00:00.000Z'],
    ['before year 0000', '-000001-01-01T00:00:00.000Z'],
    ['five-digit year', '+010000-01-01T00:00:00.000Z'],
    ['unreadable', 'yesterday-ish'],
  ])('%s (%s) is taken as absent: the time it was received is recorded', async (_, sent) => {
    const carrierMessageId = randomUUID();
    const body = reportedAt(sent, carrierMessageId);
    await expect(receiver.receive(body, signed(body))).resolves.toBe('recorded');
    const [event] = await recorded(carrierMessageId);
    expect(event?.data).toMatchObject({ occurredAt: now.toISOString() });
  });

  it.each(['0000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '2026-11-30T08:00:00.000Z'])(
    '%s, which RFC 3339 can write, is recorded as sent',
    async (sent) => {
      const carrierMessageId = randomUUID();
      const body = reportedAt(sent, carrierMessageId);
      await expect(receiver.receive(body, signed(body))).resolves.toBe('recorded');
      const [event] = await recorded(carrierMessageId);
      expect(event?.data).toMatchObject({ occurredAt: sent });
    },
  );
});

describe('fields the recorded event could not hold', () => {
  it('an empty data.id counts as absent: the webhook is recorded under an id of its own', async () => {
    const carrierMessageId = randomUUID();
    const body = inbound('', carrierMessageId, '"hello"');
    await expect(receiver.receive(body, signed(body))).resolves.toBe('recorded');
    const [event] = await recorded(carrierMessageId);
    expect((event?.data as { webhookId: string }).webhookId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    [
      'an empty event_type',
      (id: string) => `{"data":{"event_type":"","id":"${randomUUID()}","payload":{"id":"${id}"}}}`,
    ],
    [
      'an empty payload.id',
      () => `{"data":{"event_type":"message.sent","id":"${randomUUID()}","payload":{"id":""}}}`,
    ],
  ])('%s is a 400, and nothing is recorded', async (_, bodyOf) => {
    const carrierMessageId = randomUUID();
    const body = bodyOf(carrierMessageId);
    await expect(receiver.receive(body, signed(body))).rejects.toMatchObject({
      kind: 'invalid_request',
    });
    expect(await recorded(carrierMessageId)).toHaveLength(0);
    expect(await recorded('')).toHaveLength(0);
  });
});

describe('redeliveries', () => {
  it.each([
    ['a UUID', randomUUID()],
    ['not a UUID', `evt_${randomUUID()}`],
    ['a short opaque id', `${Date.now()}-1`],
    ['an id with NUL', `evt\\u0000${Date.now()}`],
    ['an id with a lone surrogate', `檑\\udf5a∍${Date.now()}`],
  ])('of a webhook whose id is %s are recognised', async (_, webhookId) => {
    const carrierMessageId = randomUUID();
    const body = inbound(webhookId, carrierMessageId, '"hello"');
    await expect(receiver.receive(body, signed(body))).resolves.toBe('recorded');
    await expect(receiver.receive(body, signed(body))).resolves.toBe('duplicate');
    expect(await recorded(carrierMessageId)).toHaveLength(1);
  });

  it('two webhooks with different non-UUID ids are both recorded', async () => {
    const carrierMessageId = randomUUID();
    const first = inbound('evt_1-' + carrierMessageId, carrierMessageId, '"one"');
    const second = inbound('evt_2-' + carrierMessageId, carrierMessageId, '"two"');
    await receiver.receive(first, signed(first));
    await receiver.receive(second, signed(second));
    expect(await recorded(carrierMessageId)).toHaveLength(2);
  });

  it('derive a stable UUID from a non-UUID id, and keep a UUID id as it is', () => {
    const id = randomUUID();
    expect(storedEventIdOf(id.toUpperCase())).toBe(id);
    expect(storedEventIdOf('evt_123')).toBe(storedEventIdOf('evt_123'));
    expect(storedEventIdOf('evt_123')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(storedEventIdOf('evt_123')).not.toBe(storedEventIdOf('evt_124'));
  });

  it('derive one from an id with a lone surrogate (no UTF-8 form), apart from its U+FFFD look-alike', () => {
    const id = storedEventIdOf('evt_\udf5a');
    expect(id).toBe(storedEventIdOf('evt_\udf5a'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id).not.toBe(storedEventIdOf('evt_\ufffd'));
    expect(id).not.toBe(storedEventIdOf('evt_\udf5b'));
  });
});

describe('the signature comes first', () => {
  async function refusal(body: string, headers: Record<string, string>): Promise<ApiError> {
    try {
      await receiver.receive(body, headers);
    } catch (error) {
      if (error instanceof ApiError) return error;
      throw error;
    }
    throw new Error('the webhook was accepted');
  }

  it('an unsigned body of any kind, empty included, is unauthenticated', async () => {
    for (const body of ['', 'hello', '{"data":{}}']) {
      expect((await refusal(body, { 'content-type': 'text/plain' })).kind).toBe('unauthenticated');
    }
  });

  it('a signed body that is not JSON is malformed, not unauthenticated', async () => {
    expect(await refusal('hello', signed('hello'))).toMatchObject({
      kind: 'invalid_request',
      code: 'malformed_json',
    });
  });
});

describe('a 10DLC status update (Telnyx sends it without payload.id)', () => {
  it('is recorded once under the campaign it is about, the payload untouched', async () => {
    const campaignId = `4b30${randomUUID().slice(4)}`;
    const body = JSON.stringify({
      data: {
        event_type: '10dlc.campaign.update',
        id: randomUUID(),
        occurred_at: now.toISOString(),
        record_type: 'event',
        payload: { brandId: 'B1', campaignId, type: 'MNO_REVIEW', status: 'ACCEPTED' },
      },
    });
    await expect(receiver.receive(body, signed(body))).resolves.toBe('recorded');
    await expect(receiver.receive(body, signed(body))).resolves.toBe('duplicate');
    const events = await store.readStream(`carrier-registration-${campaignId}`);
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({
      eventType: '10dlc.campaign.update',
      payload: { campaignId, status: 'ACCEPTED' },
    });
  });
});
