/**
 * Throughput caps the simulated carrier enforces on the sends it receives (issue 12 §3), off
 * unless configured: a send that would put more than `limit` units into any window of `windowMs`
 * (per sender, or over the whole account) is refused as Telnyx refuses it, HTTP 429 with error
 * 40318 "Message queue full", and not recorded. So a platform that paces its sends too fast
 * shows it as an error in tests, not as a silent burst.
 *
 * A send received at `t` occupies `[t, t + windowMs)`: the window ending at `t` holds the sends
 * received after `t - windowMs`.
 */

export interface SendCap {
  /** `sender`: counted per `from` number; `account`: every send together. */
  readonly scope: 'sender' | 'account';
  readonly windowMs: number;
  readonly limit: number;
  /** What a send counts: 1 (`message`), or its parts (`part`: SMS segments, an MMS 1). */
  readonly unit: 'message' | 'part';
  /** With scope `sender`: only this sender is capped; absent: every sender, each its own count. */
  readonly from?: string;
}

export type ParsedSendCaps =
  | { readonly ok: true; readonly caps: readonly SendCap[] }
  | { readonly ok: false; readonly reason: string };

const E164 = /^\+[1-9]\d{1,14}$/;
const MAX_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** Shorthand names for `CARRIER_SIM_SEND_CAPS`, e.g. `sender_per_minute=60,account_per_second=50`. */
const NAMED_WINDOWS = {
  sender_per_second: { scope: 'sender', windowMs: 1_000 },
  sender_per_minute: { scope: 'sender', windowMs: 60_000 },
  sender_per_day: { scope: 'sender', windowMs: 86_400_000 },
  account_per_second: { scope: 'account', windowMs: 1_000 },
  account_per_minute: { scope: 'account', windowMs: 60_000 },
} as const satisfies Record<string, Pick<SendCap, 'scope' | 'windowMs'>>;

const isPositiveInteger = (value: unknown, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max;

/**
 * `CARRIER_SIM_SEND_CAPS`: comma-separated `name=limit`, names from NAMED_WINDOWS; an empty value
 * is no caps. `unit` applies to each (`CARRIER_SIM_SEND_CAP_UNIT`).
 */
export function parseSendCapsSetting(raw: string, unit: SendCap['unit']): ParsedSendCaps {
  const caps: SendCap[] = [];
  for (const item of raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')) {
    const match = /^([a-z_]+)=(\d+)$/.exec(item);
    const named =
      match?.[1] !== undefined
        ? Object.entries(NAMED_WINDOWS).find(([n]) => n === match[1])
        : undefined;
    if (!match || !named) {
      return {
        ok: false,
        reason: `"${item}" is not name=limit with a name among ${Object.keys(NAMED_WINDOWS).join(', ')}`,
      };
    }
    const limit = Number(match[2]);
    if (!isPositiveInteger(limit, 1_000_000_000)) {
      return { ok: false, reason: `the limit of "${item}" must be an integer from 1` };
    }
    caps.push({ ...named[1], limit, unit });
  }
  return { ok: true, caps };
}

/** The body of `PUT /sim/caps`: `{caps: [{scope, windowMs, limit, unit?, from?}]}`. */
export function parseSendCaps(input: unknown): ParsedSendCaps {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, reason: 'body must be a JSON object with caps' };
  }
  const list = (input as { caps?: unknown }).caps;
  if (!Array.isArray(list)) return { ok: false, reason: 'caps must be an array' };
  const caps: SendCap[] = [];
  for (const [i, entry] of list.entries()) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      return { ok: false, reason: `caps[${i}] must be an object` };
    }
    const {
      scope,
      windowMs,
      limit,
      unit = 'message',
      from,
      ...rest
    } = entry as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0)
      return { ok: false, reason: `caps[${i}].${unknown[0]} is not a known field` };
    if (scope !== 'sender' && scope !== 'account') {
      return { ok: false, reason: `caps[${i}].scope must be sender or account` };
    }
    if (!isPositiveInteger(windowMs, MAX_WINDOW_MS)) {
      return {
        ok: false,
        reason: `caps[${i}].windowMs must be an integer from 1 to ${MAX_WINDOW_MS}`,
      };
    }
    if (!isPositiveInteger(limit, 1_000_000_000)) {
      return { ok: false, reason: `caps[${i}].limit must be a positive integer` };
    }
    if (unit !== 'message' && unit !== 'part') {
      return { ok: false, reason: `caps[${i}].unit must be message or part` };
    }
    if (from !== undefined && (typeof from !== 'string' || !E164.test(from))) {
      return { ok: false, reason: `caps[${i}].from must be an E.164 number` };
    }
    if (from !== undefined && scope !== 'sender') {
      return { ok: false, reason: `caps[${i}].from applies to scope sender only` };
    }
    caps.push({ scope, windowMs, limit, unit, ...(from !== undefined ? { from } : {}) });
  }
  return { ok: true, caps };
}

/** A cap as `GET /sim/caps` shows it, with the sends it refused. */
export interface SendCapStatus extends SendCap {
  readonly rejected: number;
}

interface Counted {
  readonly at: number;
  readonly units: number;
}

/**
 * The caps in force and what each has counted. `admit` checks every cap and, when all have room,
 * counts the send against each; a refusal counts nothing.
 */
export class SendCapBook {
  private caps: readonly SendCap[];
  private rejected: number[];
  /** cap index → counter (sender number, or the account) → sends still in the window, oldest first. */
  private counts = new Map<number, Map<string, Counted[]>>();

  constructor(private readonly configured: readonly SendCap[]) {
    this.caps = configured;
    this.rejected = configured.map(() => 0);
  }

  /** May a send of `parts` parts from `from`, received at `at`, go? If so it is counted. */
  admit(from: string, parts: number, at: Date): { ok: true } | { ok: false; cap: SendCap } {
    const now = at.getTime();
    const applicable: Array<{ index: number; counter: Counted[]; units: number }> = [];
    for (const [index, cap] of this.caps.entries()) {
      if (cap.scope === 'sender' && cap.from !== undefined && cap.from !== from) continue;
      const counter = this.counter(index, cap.scope === 'account' ? '' : from);
      while (counter.length > 0 && counter[0]!.at <= now - cap.windowMs) counter.shift();
      const units = cap.unit === 'part' ? Math.max(1, parts) : 1;
      const used = counter.reduce((sum, send) => sum + send.units, 0);
      if (used + units > cap.limit) {
        this.rejected[index] = (this.rejected[index] ?? 0) + 1;
        return { ok: false, cap };
      }
      applicable.push({ index, counter, units });
    }
    for (const { counter, units } of applicable) counter.push({ at: now, units });
    return { ok: true };
  }

  list(): readonly SendCapStatus[] {
    return this.caps.map((cap, i) => ({ ...cap, rejected: this.rejected[i] ?? 0 }));
  }

  /** Replaces the caps in force (their counts start empty). */
  set(caps: readonly SendCap[]): void {
    this.caps = caps;
    this.rejected = caps.map(() => 0);
    this.counts = new Map();
  }

  /** Back to the configured caps, counts empty. */
  reset(): void {
    this.set(this.configured);
  }

  private counter(index: number, key: string): Counted[] {
    const byKey = this.counts.get(index) ?? new Map<string, Counted[]>();
    this.counts.set(index, byKey);
    const counter = byKey.get(key) ?? [];
    byKey.set(key, counter);
    return counter;
  }
}

/**
 * The busiest window of `windowMs` over receive times (ms, any order): how many units it held
 * and where it started. What an end-to-end test compares with the cap.
 */
export function busiestWindow(
  sends: ReadonlyArray<{ readonly at: number; readonly units: number }>,
  windowMs: number,
): { readonly units: number; readonly start: number | null } {
  const sorted = [...sends].sort((a, b) => a.at - b.at);
  let best = { units: 0, start: null as number | null };
  let first = 0;
  let sum = 0;
  for (const send of sorted) {
    sum += send.units;
    while (sorted[first]!.at <= send.at - windowMs) {
      sum -= sorted[first]!.units;
      first += 1;
    }
    if (sum > best.units) best = { units: sum, start: sorted[first]!.at };
  }
  return best;
}
