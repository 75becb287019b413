import type { SendTimeWindow } from '@textplane/contracts';
import { type DripSchedule, nextDripOpening } from '@textplane/delivery-schedule';

/**
 * The next instant at or after `at` inside a workflow step's window (libs/delivery-schedule's
 * drip `next(t)` on a schedule that is only this window): `at` itself when the window is open.
 * The same rule as messaging's time-window gate, so the gateway shows at once the `sendAt` the
 * dispatcher will hold the message until.
 */
export function timeWindowOpening(window: SendTimeWindow, at: Date): Date {
  const schedule: DripSchedule = {
    startAt: at,
    batchSize: 1,
    every: { value: 1, unit: 'seconds' },
    days: window.days,
    window: { start: window.start, end: window.end },
    timeZone: window.timeZone,
  };
  return nextDripOpening(schedule, at);
}
