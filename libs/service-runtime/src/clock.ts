/** Where a service reads the time: passed in, so deciders and tests get an exact `now`. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
