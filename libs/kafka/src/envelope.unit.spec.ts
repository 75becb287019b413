import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { submissionStarted } from '../test/events.js';
import { fromKafkaMessage, NotACloudEventError, toKafkaMessage } from './envelope.js';

/** What a consumer receives for a produced message: Buffers, as kafkajs decodes them. */
function asReceived(message: Message, offset = '0'): KafkaMessage {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (typeof value === 'string') headers[name] = Buffer.from(value);
  }
  return {
    key: message.key === undefined || message.key === null ? null : Buffer.from(message.key),
    value: message.value === null ? null : Buffer.from(message.value),
    timestamp: '0',
    attributes: 0,
    offset,
    headers,
  };
}

function headerTexts(message: Message): Record<string, string> {
  return Object.fromEntries(
    Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
  );
}

describe('toKafkaMessage', () => {
  it('writes a binary-mode CloudEvent: ce_* headers, JSON data as value, stream id as key', () => {
    const event = submissionStarted();

    const message = toKafkaMessage(event);

    expect(message.key).toBe(event.subject);
    expect(JSON.parse(String(message.value))).toEqual(event.data);
    expect(headerTexts(message)).toEqual({
      'content-type': 'application/json',
      ce_id: event.id,
      ce_type: event.type,
      ce_source: event.source,
      ce_specversion: '1.0',
      ce_subject: event.subject,
      ce_time: event.time,
      ce_tenantid: event.tenantId,
      ce_correlationid: event.correlationId,
      ce_causationid: event.causationId,
      ce_traceparent: event.traceparent,
    });
  });

  it('leaves absent optional extensions out of the headers', () => {
    const { tenantId: _t, causationId: _c, traceparent: _p, ...bare } = submissionStarted();

    const headers = toKafkaMessage(bare).headers ?? {};

    expect(Object.keys(headers)).not.toContain('ce_tenantid');
    expect(Object.keys(headers)).not.toContain('ce_causationid');
    expect(Object.keys(headers)).not.toContain('ce_traceparent');
  });

  it('refuses an envelope that is not a valid CloudEvent', () => {
    expect(() => toKafkaMessage(submissionStarted({ time: 'yesterday' }))).toThrow();
  });
});

describe('fromKafkaMessage', () => {
  it('round-trips every attribute, extension and the data', () => {
    const event = submissionStarted();

    expect(fromKafkaMessage(asReceived(toKafkaMessage(event)))).toEqual(event);
  });

  it('round-trips an event without optional extensions', () => {
    const { tenantId: _t, causationId: _c, traceparent: _p, ...bare } = submissionStarted();

    expect(fromKafkaMessage(asReceived(toKafkaMessage(bare)))).toEqual(bare);
  });

  it('throws a clear error for a message without CloudEvents headers', () => {
    const plain = asReceived({ key: 'k', value: '{"hello":"world"}', headers: { foo: 'bar' } });

    expect(() => fromKafkaMessage(plain)).toThrow(NotACloudEventError);
    expect(() => fromKafkaMessage(plain)).toThrow(/Not a CloudEvent: the message has no ce_id/);
  });

  it('throws a clear error when a required attribute or extension is missing', () => {
    const message = toKafkaMessage(submissionStarted());
    const { ce_correlationid: _dropped, ...headers } = message.headers ?? {};

    expect(() => fromKafkaMessage(asReceived({ ...message, headers }))).toThrow(
      /Not a CloudEvent: attribute "correlationid" is missing/,
    );
  });

  it('throws a clear error when the value is not JSON', () => {
    const message = { ...toKafkaMessage(submissionStarted()), value: 'not json' };

    expect(() => fromKafkaMessage(asReceived(message))).toThrow(NotACloudEventError);
  });

  it('throws a clear error when the data is not JSON', () => {
    const message = toKafkaMessage(submissionStarted());
    const headers = { ...message.headers, 'content-type': 'text/plain' };

    expect(() => fromKafkaMessage(asReceived({ ...message, headers }))).toThrow(
      /content type "text\/plain", expected application\/json/,
    );
  });
});
