import { createPrivateKey, sign } from 'node:crypto';
import fc from 'fast-check';
import { anyHeaderValue, anyJson, anyString } from './fuzz-values.js';
import type { RestCase } from './rest-fuzz.js';

const phone = (known: readonly string[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known) },
    { weight: 2, arbitrary: fc.stringMatching(/^\+1555\d{7}$/) },
    { weight: 1, arbitrary: anyJson },
  );

/** A Telnyx messaging event, shaped as the carrier sends them, with odd values in its fields. */
export function telnyxEvents(senderNumbers: readonly string[]): fc.Arbitrary<unknown> {
  const payload = fc.record(
    {
      id: fc.oneof(fc.uuid(), anyJson),
      record_type: fc.constantFrom('message', 'event', ''),
      direction: fc.constantFrom('inbound', 'outbound', 'sideways'),
      type: fc.constantFrom('SMS', 'MMS', ''),
      from: fc.oneof(fc.record({ phone_number: phone(senderNumbers) }), anyJson),
      to: fc.oneof(
        fc.array(
          fc.record({
            phone_number: phone(senderNumbers),
            status: fc.oneof(
              fc.constantFrom('delivered', 'sent', 'delivery_failed', 'queued'),
              anyString,
            ),
          }),
          { maxLength: 2 },
        ),
        anyJson,
      ),
      text: fc.oneof(
        fc.constantFrom('STOP', 'START', 'HELP', 'STOP\u0000', 'stop please', '\ud800STOP'),
        anyString,
        anyJson,
      ),
      media: fc.oneof(
        fc.array(fc.record({ url: fc.oneof(fc.webUrl(), anyString), content_type: anyString }), {
          maxLength: 2,
        }),
        anyJson,
      ),
      errors: fc.oneof(
        fc.array(
          fc.record({
            code: fc.oneof(fc.constantFrom('40008', '40300'), anyString),
            title: anyString,
            detail: anyString,
          }),
          { maxLength: 2 },
        ),
        anyJson,
      ),
      completed_at: fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        anyString,
      ),
    },
    { requiredKeys: [] },
  );
  const data = fc.record(
    {
      event_type: fc.oneof(
        {
          weight: 4,
          arbitrary: fc.constantFrom('message.received', 'message.finalized', 'message.sent'),
        },
        { weight: 1, arbitrary: anyJson },
      ),
      id: fc.oneof(fc.uuid(), anyString, anyJson),
      occurred_at: fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        anyString,
        anyJson,
      ),
      record_type: fc.constantFrom('event', ''),
      payload: fc.oneof({ weight: 5, arbitrary: payload }, { weight: 1, arbitrary: anyJson }),
    },
    { requiredKeys: [] },
  );
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record(
        { data, meta: fc.record({ attempt: fc.oneof(fc.nat(), anyJson) }, { requiredKeys: [] }) },
        { requiredKeys: ['data'] },
      ),
    },
    { weight: 1, arbitrary: anyJson },
  );
}

export interface WebhookSigner {
  readonly privateKeyPkcs8Base64: string;
  /** Seconds since the epoch, as the carrier's clock would say. */
  readonly now: () => number;
}

/**
 * Webhooks signed with the carrier's key, as the simulator signs them: they pass the signature
 * check, so the parsing and recording behind it are what is fuzzed.
 */
export function signedWebhooks(
  signer: WebhookSigner,
  senderNumbers: readonly string[],
): fc.Arbitrary<RestCase> {
  const key = createPrivateKey({
    key: Buffer.from(signer.privateKeyPkcs8Base64, 'base64'),
    format: 'der',
    type: 'pkcs8',
  });
  return fc
    .record({
      event: telnyxEvents(senderNumbers),
      contentType: fc.oneof(
        { weight: 6, arbitrary: fc.constant('application/json') },
        {
          weight: 1,
          arbitrary: fc.constantFrom('text/plain', 'application/json; charset=utf-8', ''),
        },
      ),
      skewSeconds: fc.oneof(
        { weight: 8, arbitrary: fc.constant(0) },
        { weight: 1, arbitrary: fc.integer({ min: -100_000, max: 100_000 }) },
      ),
    })
    .map(({ event, contentType, skewSeconds }) => {
      const text = JSON.stringify(event) ?? 'null';
      // The clock is read when the case is built, so a replayed case is signed anew.
      const timestamp = signer.now() + skewSeconds;
      const signature = sign(null, Buffer.from(`${timestamp}|${text}`), key).toString('base64');
      return {
        method: 'POST',
        path: '/webhooks/telnyx',
        headers: {
          ...(contentType === '' ? {} : { 'content-type': contentType }),
          'telnyx-signature-ed25519': signature,
          'telnyx-timestamp': String(timestamp),
        },
        body: { kind: 'text', text },
      };
    });
}

/** Webhooks with forged, missing or malformed signatures, and any body. */
export function forgedWebhooks(senderNumbers: readonly string[]): fc.Arbitrary<RestCase> {
  return fc
    .record({
      text: fc.oneof(
        telnyxEvents(senderNumbers).map((e) => JSON.stringify(e) ?? 'null'),
        anyString,
      ),
      contentType: fc.constantFrom(
        'application/json',
        'text/plain',
        '',
        'application/x-www-form-urlencoded',
      ),
      signature: fc.option(
        fc.oneof(fc.base64String({ minLength: 88, maxLength: 88 }), anyHeaderValue),
        { freq: 3 },
      ),
      timestamp: fc.option(fc.oneof(fc.integer().map(String), anyHeaderValue), { freq: 3 }),
    })
    .map(({ text, contentType, signature, timestamp }) => ({
      method: 'POST',
      path: '/webhooks/telnyx',
      headers: {
        ...(contentType === '' ? {} : { 'content-type': contentType }),
        ...(signature === null ? {} : { 'telnyx-signature-ed25519': signature }),
        ...(timestamp === null ? {} : { 'telnyx-timestamp': timestamp }),
      },
      body: { kind: 'text' as const, text },
    }));
}
