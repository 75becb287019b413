import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type CarrierMessage,
  type WebhookEventData,
  inboundPayload,
  outboundPayload,
  webhookEvent,
} from './messages/message-payload.js';
import { parseSendMessageRequest } from './messages/send-message-request.js';
import { deliveryErrorCatalogue, telnyxErrorResponse } from './telnyx-errors.js';

/**
 * The simulator keeps its own copy of what Telnyx answers (testdata/, telnyx-errors.ts); the
 * contract both it and messaging's Telnyx adapter are held to is the adapter's fixtures,
 * services/messaging/src/infrastructure/carriers/telnyx/testdata/ (taken from Telnyx's
 * documented payloads, parsed by the adapter's own tests). A tool imports no service, so this
 * test reads those JSON files by path: everything the adapter's fixture holds, the
 * simulator's answer holds too, with the same JSON type (a null standing for an absent value
 * either side), and the values the adapter acts on (event type, status, error code) agree.
 */
const ADAPTER_TESTDATA = new URL(
  '../../../services/messaging/src/infrastructure/carriers/telnyx/testdata/',
  import.meta.url,
);

function adapterFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`${name}.json`, ADAPTER_TESTDATA), 'utf8'));
}

type JsonKind = 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean';

function kindOf(value: unknown): JsonKind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonKind;
}

/** Where `actual` lacks a field of `contract` or holds another JSON type there: one line each. */
function departures(contract: unknown, actual: unknown, path = '$'): string[] {
  const want = kindOf(contract);
  const got = kindOf(actual);
  if (want === 'null' || got === 'null') return [];
  if (want !== got) return [`${path}: ${want} in the contract, ${got} in the simulator`];
  if (want === 'array') {
    const [first] = contract as unknown[];
    const [mine] = actual as unknown[];
    return first === undefined || mine === undefined ? [] : departures(first, mine, `${path}[0]`);
  }
  if (want !== 'object') return [];
  const theirs = contract as Record<string, unknown>;
  const ours = actual as Record<string, unknown>;
  return Object.keys(theirs).flatMap((key) =>
    key in ours
      ? departures(theirs[key], ours[key], `${path}.${key}`)
      : [`${path}.${key}: missing in the simulator`],
  );
}

/** The fields the adapter's parser reads to decide what a webhook or answer means. */
function meaning(event: unknown): unknown {
  const root = event as {
    data?: {
      event_type?: string;
      direction?: string;
      payload?: { direction?: string; to?: Array<{ status?: string }>; errors?: unknown[] };
      to?: Array<{ status?: string }>;
      errors?: unknown[];
    };
  };
  const message = root.data?.payload ?? root.data;
  return {
    eventType: root.data?.event_type,
    direction: message?.direction,
    status: message?.to?.[0]?.status,
    failed: (message?.errors?.length ?? 0) > 0,
  };
}

const outbound: CarrierMessage = {
  id: '40385f64-5717-4562-b3fc-2c963f66afa6',
  direction: 'outbound',
  type: 'SMS',
  from: '+15555550100',
  to: '+15555550123',
  text: 'Your table is ready',
  subject: null,
  mediaUrls: [],
  encoding: 'GSM-7',
  parts: 1,
  numChars: 19,
  messagingProfileId: '4000eba1-a0c0-4563-9925-b25e842a7cb6',
  organizationId: 'b448f9cc-a842-4784-98e9-03c1a5872950',
  webhookUrl: 'https://example.com/webhooks/telnyx',
  webhookFailoverUrl: null,
  receivedAt: new Date('2026-11-26T12:00:00.000Z'),
  validUntil: new Date('2026-11-26T16:00:00.000Z'),
};
const inbound: CarrierMessage = {
  ...outbound,
  id: 'b301ed3f-1490-491f-995f-6e64e69674d4',
  direction: 'inbound',
  type: 'MMS',
  from: '+15555550123',
  to: '+15555550100',
  text: 'See you then',
  mediaUrls: ['https://media.example.com/cat.jpg'],
  validUntil: null,
};
const sentAt = new Date('2026-11-26T12:00:01.104Z');
const completedAt = new Date('2026-11-26T12:00:02.512Z');

/** A webhook as the dispatcher posts it (webhook-dispatcher.ts), first attempt. */
function posted(event: WebhookEventData): unknown {
  return { data: event, meta: { attempt: 1, delivered_to: 'https://example.com/webhooks/telnyx' } };
}

/** What the simulator answers a send to a recipient that is not a number. */
function invalidToAnswer(): unknown {
  const parsed = parseSendMessageRequest(
    { from: '+15555550100', to: 'not-a-number', text: 'hi' },
    { numbers: new Set(['+15555550100']), acceptAnyFrom: false },
  );
  if (parsed.ok) throw new Error('the simulator accepted a send to not-a-number');
  return parsed.error.body;
}

const cases: Array<{ fixture: string; simulator: unknown }> = [
  {
    fixture: 'message-sent',
    simulator: posted(
      webhookEvent('message.sent', outboundPayload(outbound, { status: 'sent', sentAt }), sentAt),
    ),
  },
  {
    fixture: 'message-finalized-delivered',
    simulator: posted(
      webhookEvent(
        'message.finalized',
        outboundPayload(outbound, { status: 'delivered', sentAt, completedAt }),
        completedAt,
      ),
    ),
  },
  {
    fixture: 'message-finalized-delivery-failed',
    simulator: posted(
      webhookEvent(
        'message.finalized',
        outboundPayload(outbound, {
          status: 'delivery_failed',
          sentAt,
          completedAt,
          errors: [deliveryErrorCatalogue.delivery_failed],
        }),
        completedAt,
      ),
    ),
  },
  {
    fixture: 'message-received',
    simulator: posted(
      webhookEvent('message.received', inboundPayload(inbound), inbound.receivedAt),
    ),
  },
  // What the simulator answers POST /v2/messages and GET /v2/messages/{id} with (carrier.ts).
  {
    fixture: 'message-send-accepted',
    simulator: { data: outboundPayload(outbound, { status: 'queued' }) },
  },
  {
    fixture: 'message-retrieved-delivered',
    simulator: { data: outboundPayload(outbound, { status: 'delivered', sentAt, completedAt }) },
  },
  { fixture: 'error-invalid-to-address', simulator: invalidToAnswer() },
  { fixture: 'error-too-many-requests', simulator: telnyxErrorResponse('tooManyRequests').body },
  { fixture: 'error-resource-not-found', simulator: telnyxErrorResponse('resourceNotFound').body },
];

describe("the simulator answers as the Telnyx adapter's fixtures say Telnyx does", () => {
  it.each(cases)('$fixture', ({ fixture, simulator }) => {
    const contract = adapterFixture(fixture);
    expect(departures(contract, simulator)).toEqual([]);
    expect(meaning(simulator)).toEqual(meaning(contract));
  });

  it('codes its errors as Telnyx does', () => {
    const code = (body: unknown) => (body as { errors: Array<{ code: string }> }).errors[0]?.code;
    expect(code(invalidToAnswer())).toBe(code(adapterFixture('error-invalid-to-address')));
    expect(code(telnyxErrorResponse('resourceNotFound').body)).toBe(
      code(adapterFixture('error-resource-not-found')),
    );
  });

  it('finds a departure when there is one (the check itself can fail)', () => {
    expect(
      departures(
        { data: { id: 'x', to: [{ status: 'sent' }] } },
        { data: { to: [{ status: 1 }] } },
      ),
    ).toEqual([
      '$.data.id: missing in the simulator',
      '$.data.to[0].status: string in the contract, number in the simulator',
    ]);
  });
});
