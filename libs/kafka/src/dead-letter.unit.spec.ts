import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { DlqHeaders, toDeadLetterMessage, toReplayedMessage } from './dead-letter.js';

const original: KafkaMessage = {
  key: Buffer.from('message-1'),
  value: Buffer.from('{"a":1}'),
  timestamp: '0',
  attributes: 0,
  offset: '42',
  headers: { ce_id: Buffer.from('id-1'), ce_type: Buffer.from('t') },
};

describe('dead letters', () => {
  it('keep the original key, value and headers and say why, where and when', () => {
    const failedAt = new Date('2026-11-26T21:00:00Z');

    const letter = toDeadLetterMessage({
      topic: 'orders',
      partition: 3,
      message: original,
      reason: 'boom',
      attempts: 5,
      failedAt,
    });

    expect(letter.key).toEqual(original.key);
    expect(letter.value).toEqual(original.value);
    expect(letter.headers).toEqual({
      ...original.headers,
      [DlqHeaders.reason]: 'boom',
      [DlqHeaders.originalTopic]: 'orders',
      [DlqHeaders.originalPartition]: '3',
      [DlqHeaders.originalOffset]: '42',
      [DlqHeaders.failedAt]: '2026-11-26T21:00:00.000Z',
      [DlqHeaders.attempts]: '5',
    });
  });

  it('truncate a very long reason', () => {
    const letter = toDeadLetterMessage({
      topic: 'orders',
      partition: 0,
      message: original,
      reason: 'x'.repeat(100_000),
      attempts: 1,
      failedAt: new Date(),
    });

    expect(String(letter.headers?.[DlqHeaders.reason]).length).toBeLessThanOrEqual(4_097);
  });

  it('replay to the original topic without the DLQ headers', () => {
    const letter = toDeadLetterMessage({
      topic: 'orders',
      partition: 0,
      message: original,
      reason: 'boom',
      attempts: 5,
      failedAt: new Date(),
    });
    const received: KafkaMessage = {
      ...original,
      offset: '7',
      headers: Object.fromEntries(
        Object.entries(letter.headers ?? {}).map(([k, v]) => [k, Buffer.from(String(v))]),
      ),
    };

    const { topic, message } = toReplayedMessage(received);

    expect(topic).toBe('orders');
    expect(message.key).toEqual(original.key);
    expect(message.value).toEqual(original.value);
    expect(Object.keys(message.headers ?? {})).toEqual(['ce_id', 'ce_type']);
  });

  it('refuse to replay a record that does not say where it came from', () => {
    expect(() => toReplayedMessage(original)).toThrow(/no dlq_original_topic header/);
  });
});
