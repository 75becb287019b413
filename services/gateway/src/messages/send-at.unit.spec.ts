import { describe, expect, it } from 'vitest';
import { ApiError } from '../problems/api-error.js';
import { validateRequest } from '../http/request-validator.js';
import { scheduledSendAt } from './send-at.js';

const now = new Date('2026-11-26T21:00:00.000Z');
const DAY = 86_400_000;

function refusal(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('scheduledSendAt (the clock given)', () => {
  it('takes an instant ahead, in any offset, as that instant', () => {
    expect(scheduledSendAt('2026-11-27T04:00:00-05:00', now)?.toISOString()).toBe(
      '2026-11-27T09:00:00.000Z',
    );
    expect(scheduledSendAt('2026-11-26T21:00:00.001Z', now)?.toISOString()).toBe(
      '2026-11-26T21:00:00.001Z',
    );
  });

  it('means now when absent, at now, or up to 60 s in the past', () => {
    expect(scheduledSendAt(undefined, now)).toBeNull();
    expect(scheduledSendAt('2026-11-26T21:00:00Z', now)).toBeNull();
    expect(scheduledSendAt('2026-11-26T20:59:00Z', now)).toBeNull();
  });

  it('refuses a time more than 60 s past with 422 naming sendAt', () => {
    const error = refusal(() => scheduledSendAt('2026-11-26T20:58:59.999Z', now));
    expect(error).toMatchObject({
      kind: 'unprocessable',
      code: 'send_at_out_of_range',
      violations: [{ field: 'sendAt' }],
    });
  });

  it('takes 400 days ahead, and refuses a millisecond more with 422 naming sendAt', () => {
    const limit = new Date(now.getTime() + 400 * DAY).toISOString();
    expect(scheduledSendAt(limit, now)?.toISOString()).toBe(limit);
    const beyond = new Date(now.getTime() + 400 * DAY + 1).toISOString();
    expect(refusal(() => scheduledSendAt(beyond, now))).toMatchObject({
      kind: 'unprocessable',
      violations: [{ field: 'sendAt' }],
    });
  });

  it('names the field it is given (gRPC send_at)', () => {
    expect(refusal(() => scheduledSendAt('2020-01-01T00:00:00Z', now, 'send_at'))).toMatchObject({
      violations: [{ field: 'send_at' }],
    });
  });

  it('refuses a date-time that names no instant (a leap second) with 400', () => {
    expect(refusal(() => scheduledSendAt('2026-12-31T23:59:60Z', now))).toMatchObject({
      kind: 'invalid_request',
      violations: [{ field: 'sendAt' }],
    });
  });
});

describe('sendAt in the request schemas', () => {
  const send = { to: '+15551230001', body: 'hi' };

  it.each([
    ['no offset', '2026-11-27T09:00:00'],
    ['a date only', '2026-11-27'],
    ['not a date', 'tomorrow'],
    ['a number', 1795770000],
  ])('refuses %s with 400 naming sendAt, on a send, a preview and a reschedule', (_, sendAt) => {
    for (const [schema, body] of [
      ['SendMessageRequest', { ...send, sendAt }],
      ['PreviewMessageRequest', { body: 'hi', sendAt }],
      ['RescheduleMessageRequest', { sendAt }],
    ] as const) {
      expect(refusal(() => validateRequest(schema, body))).toMatchObject({
        kind: 'invalid_request',
        violations: [expect.objectContaining({ field: 'sendAt' })],
      });
    }
  });

  it('takes an instant with its offset, and a reschedule needs one', () => {
    expect(() =>
      validateRequest('SendMessageRequest', { ...send, sendAt: '2026-11-27T04:00:00-05:00' }),
    ).not.toThrow();
    expect(refusal(() => validateRequest('RescheduleMessageRequest', {}))).toMatchObject({
      kind: 'invalid_request',
    });
  });
});
