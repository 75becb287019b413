/** Minutes since local midnight; a window is [startMinute, endMinute): the end is excluded. */
export interface LocalWindow {
  startMinute: number;
  endMinute: number;
}

/** Local send windows per weekday, index 0 = Sunday … 6 = Saturday (as `Date#getDay`). */
export type WeeklyWindows = readonly [
  sunday: readonly LocalWindow[],
  monday: readonly LocalWindow[],
  tuesday: readonly LocalWindow[],
  wednesday: readonly LocalWindow[],
  thursday: readonly LocalWindow[],
  friday: readonly LocalWindow[],
  saturday: readonly LocalWindow[],
];

export interface SendWindowRule {
  /** 'US' for the federal rule, else the state code whose stricter rule applies. */
  jurisdiction: string;
  windows: WeeklyWindows;
}

const hours = (start: number, end: number): LocalWindow => ({
  startMinute: start * 60,
  endMinute: end * 60,
});

const everyDay = (window: LocalWindow): WeeklyWindows => [
  [window],
  [window],
  [window],
  [window],
  [window],
  [window],
  [window],
];

const weekdaysAndWeekend = (weekday: LocalWindow, weekend: LocalWindow): WeeklyWindows => [
  [weekend],
  [weekday],
  [weekday],
  [weekday],
  [weekday],
  [weekday],
  [weekend],
];

/** TCPA, 47 CFR § 64.1200(c)(1): no solicitation before 8:00 or from 21:00 recipient local time. */
export const FEDERAL_SEND_WINDOW: SendWindowRule = {
  jurisdiction: 'US',
  windows: everyDay(hours(8, 21)),
};

const EIGHT_TO_EIGHT = everyDay(hours(8, 20));

/** Stricter state rules (see README for sources and what is deliberately not modelled). */
const STATE_SEND_WINDOWS: ReadonlyMap<string, WeeklyWindows> = new Map([
  ['FL', EIGHT_TO_EIGHT],
  ['OK', EIGHT_TO_EIGHT],
  ['MD', EIGHT_TO_EIGHT],
  ['MS', EIGHT_TO_EIGHT],
  ['NJ', EIGHT_TO_EIGHT],
  ['WA', EIGHT_TO_EIGHT],
  ['MA', EIGHT_TO_EIGHT],
  ['CT', everyDay(hours(9, 20))],
  [
    'TX',
    [
      [hours(12, 21)],
      [hours(9, 21)],
      [hours(9, 21)],
      [hours(9, 21)],
      [hours(9, 21)],
      [hours(9, 21)],
      [hours(9, 21)],
    ],
  ],
  ['RI', weekdaysAndWeekend(hours(9, 18), hours(10, 17))],
]);

/** The window that applies to a recipient in `state` (null or unknown → federal). */
export function sendWindowFor(state: string | null): SendWindowRule {
  if (state === null) return FEDERAL_SEND_WINDOW;
  const windows = STATE_SEND_WINDOWS.get(state);
  return windows === undefined ? FEDERAL_SEND_WINDOW : { jurisdiction: state, windows };
}
