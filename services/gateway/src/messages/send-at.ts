import { ApiError } from '../problems/api-error.js';
import { SEND_AT_LIMITS } from './message.request-schemas.js';

const DAY_MS = 86_400_000;

/**
 * The instant a client's `sendAt` schedules a message for, or null when it means now (absent, or
 * at most a minute past: the caller's clock skew). The schema has already refused what is not an
 * RFC 3339 date-time with an offset; a date-time that names no instant (a leap second) is 400 too.
 * Earlier than the tolerance, or more than 400 days after `now`, is 422 naming `field`.
 */
export function scheduledSendAt(
  sendAt: string | undefined,
  now: Date,
  field = 'sendAt',
): Date | null {
  if (sendAt === undefined) return null;
  const at = Date.parse(sendAt);
  if (!Number.isFinite(at)) {
    throw ApiError.invalid('The send time is not an instant', [
      { field, message: 'must be an instant with its offset, e.g. 2026-07-04T09:00:00-04:00' },
    ]);
  }
  const earliest = now.getTime() - SEND_AT_LIMITS.pastToleranceSeconds * 1000;
  if (at < earliest) {
    throw new ApiError('unprocessable', 'send_at_out_of_range', 'The send time has passed', [
      {
        field,
        message: `must not be more than ${SEND_AT_LIMITS.pastToleranceSeconds} s in the past`,
      },
    ]);
  }
  if (at > now.getTime() + SEND_AT_LIMITS.maxAheadDays * DAY_MS) {
    throw new ApiError(
      'unprocessable',
      'send_at_out_of_range',
      `A message can be scheduled at most ${SEND_AT_LIMITS.maxAheadDays} days ahead`,
      [{ field, message: `must be at most ${SEND_AT_LIMITS.maxAheadDays} days ahead` }],
    );
  }
  return at > now.getTime() ? new Date(at) : null;
}
