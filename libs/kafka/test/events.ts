import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '../src/envelope.js';

/** A valid `messaging.MessageSubmissionStarted.v1` event on its own stream. */
export function submissionStarted(overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  const messageId = randomUUID();
  const tenantId = randomUUID();
  return {
    id: randomUUID(),
    type: 'messaging.MessageSubmissionStarted.v1',
    source: '/textplane/messaging',
    subject: `message-${messageId}`,
    time: '2026-11-26T21:00:00.123Z',
    tenantId,
    correlationId: randomUUID(),
    causationId: randomUUID(),
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    data: { messageId, tenantId, attempt: 1, startedAt: '2026-11-26T21:00:00.000Z' },
    ...overrides,
  };
}
