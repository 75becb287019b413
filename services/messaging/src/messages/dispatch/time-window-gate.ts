import { type DripSchedule, nextDripOpening } from '@textplane/delivery-schedule';
import type { SendTimeWindow } from '@textplane/contracts';
import type { Gate, GateAnswer } from './gates.js';

/**
 * The next instant at or after `at` inside the window (libs/delivery-schedule's drip `next(t)`
 * on a schedule that is only this window): `at` itself when the window is open.
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

/**
 * A workflow step's time window (issue 11 §2): outside it the message waits until the next
 * opening, reason `time_window`. Right after the schedule gate, and asked again whenever a held
 * message comes due: one released by quiet hours into the night waits for the window's morning.
 */
export const timeWindowGate: Gate = {
  name: 'time-window',
  decide({ message, now }): GateAnswer {
    if (message.timeWindow === undefined) return { answer: 'pass' };
    const at = timeWindowOpening(message.timeWindow, now);
    return at.getTime() > now.getTime()
      ? {
          answer: 'wait',
          until: { kind: 'time', at, reason: 'time_window', timeZone: message.timeWindow.timeZone },
        }
      : { answer: 'pass' };
  },
};
