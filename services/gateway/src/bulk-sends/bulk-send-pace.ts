import {
  type Channel,
  type LimitOverrides,
  type NumberType,
  type RateLimit,
  isCampaignUsecase,
  isEntityType,
  limitsFor,
  limitsForRecipient,
  tMobileDayOf,
} from '@textplane/trust-rules';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * The pace of a bulk send under the carriers' throughput limits (issue 12 §3, "Bulk-send
 * previews and progress ETAs use these limits and the tenant's other queued traffic"): when the
 * last of its messages goes out, given when each is released, which counters each counts
 * against, and the traffic already queued ahead of it on the same counters. Pure: no I/O, no
 * clock (`now` is a fact).
 *
 * It plays messaging's throughput gate (services/messaging/src/throughput) forward in time:
 * - a message counts against every limit of its sender (`limitsFor`), and, its recipient's
 *   carrier being unknown here, against every carrier's (`limitsForRecipient(…, null)`), as the
 *   gate counts a message whose carrier no lookup told;
 * - a sliding window of `w` lets a message go while the units counted in it plus its cost stay
 *   within the limit (a message larger than the limit goes alone, once the window is empty); a
 *   send is counted at the end of its bucket (a fiftieth of the window, as messaging's `slotOf`)
 *   and leaves the window `w` later, so a burst of a full window is followed by the next one
 *   `w` (plus up to a bucket) later: 150 messages at 60 per minute go out at +0, +60 s, +120 s;
 * - a T-Mobile day, once spent, holds the rest until the reset (midnight America/Los_Angeles);
 * - what is queued ahead goes first; at any instant, whatever fits goes, in order of release.
 *
 * Not known here, so not counted: the platform's other tenants on a shared account limit, the
 * recipients' carriers (every carrier's limit counts), and messaging's window margin
 * (THROUGHPUT_WINDOW_MARGIN_MS, at most 5% of a window).
 */

/** One limit a message counts against, with what it is kept per (two messages share `key` exactly when they share the carrier's count). */
export interface PaceCounter {
  key: string;
  limit: RateLimit;
}

/** `count` messages released together at `at`, each costing `cost` units, on the same counters. */
export interface PacedRelease {
  at: Date;
  count: number;
  /** Units each message counts (SMS segments; 1 for an MMS). */
  cost: number;
  counters: readonly PaceCounter[];
}

export interface PaceInput {
  now: Date;
  /** The tenant's traffic queued ahead of the bulk send (it goes first). */
  ahead: readonly PacedRelease[];
  /** The bulk send's sendable messages by release instant (its batch, its local time, its hold). */
  releases: readonly PacedRelease[];
}

/** Messaging's buckets per sliding window (services/messaging/src/throughput BUCKETS_PER_WINDOW). */
const BUCKETS_PER_WINDOW = 50;

interface SlidingState {
  kind: 'sliding';
  limit: number;
  windowMs: number;
  bucketMs: number;
  /** Counted units by the instant they leave the window, oldest first. */
  counted: Array<{ expiresAt: number; units: number }>;
  used: number;
}

interface DayState {
  kind: 'day';
  limit: number;
  dayEnd: number;
  used: number;
}

type CounterState = SlidingState | DayState;

function stateOf(limit: RateLimit): CounterState {
  const { window } = limit;
  switch (window.kind) {
    case 'sliding':
      return {
        kind: 'sliding',
        limit: limit.limit,
        windowMs: window.ms,
        bucketMs: Math.max(1, Math.floor(window.ms / BUCKETS_PER_WINDOW)),
        counted: [],
        used: 0,
      };
    case 'tmobile_day':
      return { kind: 'day', limit: limit.limit, dayEnd: Number.NEGATIVE_INFINITY, used: 0 };
  }
}

/** Forget what no longer counts at `t`: units that left the window, a past T-Mobile day. */
function advance(state: CounterState, t: number): void {
  if (state.kind === 'sliding') {
    let drop = 0;
    while (drop < state.counted.length && state.counted[drop]!.expiresAt <= t) {
      state.used -= state.counted[drop]!.units;
      drop += 1;
    }
    if (drop > 0) state.counted.splice(0, drop);
    return;
  }
  if (t >= state.dayEnd) {
    state.dayEnd = tMobileDayOf(new Date(t)).end.getTime();
    state.used = 0;
  }
}

/** How many messages of `cost` fit now (a message above the limit fits alone in an empty count). */
function room(state: CounterState, cost: number): number {
  if (cost >= state.limit) return state.used === 0 ? 1 : 0;
  return Math.max(0, Math.floor((state.limit - state.used) / cost));
}

/** The earliest instant after `t` one message of `cost` fits, the counter being full at `t`. */
function freeAt(state: CounterState, cost: number): number {
  if (state.kind === 'day') return state.dayEnd;
  const need = Math.min(cost, state.limit);
  let used = state.used;
  for (const entry of state.counted) {
    used -= entry.units;
    if (used + need <= state.limit) return entry.expiresAt;
  }
  // Unreachable: once every counted unit has left, the message fits.
  return state.counted[state.counted.length - 1]?.expiresAt ?? Number.POSITIVE_INFINITY;
}

function count(state: CounterState, t: number, units: number): void {
  state.used += units;
  if (state.kind === 'day') return;
  const slot = (Math.floor(t / state.bucketMs) + 1) * state.bucketMs;
  const expiresAt = slot + state.windowMs;
  const last = state.counted[state.counted.length - 1];
  if (last !== undefined && last.expiresAt === expiresAt) last.units += units;
  else state.counted.push({ expiresAt, units });
}

function checkRelease(release: PacedRelease, what: string): void {
  if (!Number.isFinite(release.at.getTime()))
    throw new RangeError(`${what}: at is an invalid Date`);
  if (!Number.isInteger(release.count) || release.count < 0) {
    throw new RangeError(`${what}: count must be a non-negative integer (got ${release.count})`);
  }
  if (!Number.isInteger(release.cost) || release.cost < 1) {
    throw new RangeError(`${what}: cost must be a positive integer (got ${release.cost})`);
  }
}

interface Pending {
  release: PacedRelease;
  at: number;
  left: number;
  ahead: boolean;
  order: number;
}

/**
 * The instant the last of `releases` goes out, or null when there is none. Nothing goes before
 * its release (nor before `now`); a release on no counter goes at its release.
 */
export function pacedFinish(input: PaceInput): Date | null {
  const nowMs = input.now.getTime();
  if (!Number.isFinite(nowMs)) throw new RangeError('pacedFinish: now is an invalid Date');
  input.ahead.forEach((r, i) => checkRelease(r, `ahead[${i}]`));
  input.releases.forEach((r, i) => checkRelease(r, `releases[${i}]`));

  const states = new Map<string, CounterState>();
  const stateFor = (counter: PaceCounter): CounterState => {
    let state = states.get(counter.key);
    if (state === undefined) {
      state = stateOf(counter.limit);
      states.set(counter.key, state);
    }
    return state;
  };
  const all: Pending[] = [
    ...input.ahead.map((release, i) => ({ release, ahead: true, order: i })),
    ...input.releases.map((release, i) => ({ release, ahead: false, order: i })),
  ]
    .filter(({ release }) => release.count > 0)
    .map(({ release, ahead, order }) => ({
      release,
      at: Math.max(nowMs, release.at.getTime()),
      left: release.count,
      ahead,
      order,
    }))
    .sort((a, b) => a.at - b.at || Number(b.ahead) - Number(a.ahead) || a.order - b.order);
  if (!all.some((p) => !p.ahead)) return null;

  // What is released by `t`, in the order it is served: what was queued ahead first, then by release.
  const live: Pending[] = [];
  const serveBefore = (a: Pending, b: Pending): boolean =>
    a.ahead !== b.ahead ? a.ahead : a.at !== b.at ? a.at < b.at : a.order < b.order;
  let next = 0;
  let last: number | null = null;
  let t = all[0]!.at;
  for (;;) {
    while (next < all.length && all[next]!.at <= t) {
      const pending = all[next]!;
      const place = live.findIndex((other) => serveBefore(pending, other));
      live.splice(place === -1 ? live.length : place, 0, pending);
      next += 1;
    }
    for (const state of states.values()) advance(state, t);
    let soonest = next < all.length ? all[next]!.at : Number.POSITIVE_INFINITY;
    for (const pending of live) {
      const { cost, counters } = pending.release;
      const own = counters.map(stateFor);
      for (const state of own) advance(state, t);
      const fits = Math.min(pending.left, ...own.map((state) => room(state, cost)));
      if (fits > 0) {
        for (const state of own) count(state, t, fits * cost);
        pending.left -= fits;
        if (!pending.ahead) last = last === null ? t : Math.max(last, t);
      }
      if (pending.left > 0) {
        const free = Math.max(
          ...own.filter((state) => room(state, cost) === 0).map((state) => freeAt(state, cost)),
        );
        soonest = Math.min(soonest, free);
      }
    }
    for (let i = live.length - 1; i >= 0; i -= 1) if (live[i]!.left === 0) live.splice(i, 1);
    if (live.length === 0 && next >= all.length) break;
    if (!Number.isFinite(soonest) || soonest <= t) {
      throw new Error('pacedFinish: no progress (a counter never frees)');
    }
    t = soonest;
  }
  return last === null ? null : new Date(last);
}

// ---- the counters of a sender ---------------------------------------------------------------

/** What the Trust Center read models tell of a long code's registration (null: not assigned). */
export interface SenderRegistrationClass {
  campaignId: string;
  brandId: string;
  usecase: string;
  entityType: string | null;
  vettingScore: number | null;
}

/** The NANP's toll-free area codes, as messaging's sender-registration gate has them. */
const TOLL_FREE_AREA_CODES: ReadonlySet<string> = new Set([
  '800',
  '833',
  '844',
  '855',
  '866',
  '877',
  '888',
]);

/**
 * A sender's class as messaging's `senderClassOf` tells it: a +1 toll-free area code is
 * toll-free; another +1 number a US long code unless libphonenumber places it in another NANP
 * country; anything else `other` (the account limit only).
 */
export function senderNumberTypeOf(phoneNumber: string): NumberType | 'other' {
  if (!/^\+1\d{10}$/u.test(phoneNumber)) return 'other';
  if (TOLL_FREE_AREA_CODES.has(phoneNumber.slice(2, 5))) return 'toll_free';
  const country = parsePhoneNumberFromString(phoneNumber)?.country;
  return country === undefined || country === 'US' ? 'long_code' : 'other';
}

const part = (value: string): string => encodeURIComponent(value);

/**
 * The counters a message from `sender` on `channel` counts against, its recipient's carrier
 * unknown (every carrier's), as messaging's ledger keys them (`countedMessage`): a campaign's
 * AT&T minute per channel, a brand's T-Mobile day, a toll-free number's second, the account's
 * second per channel. A long code without a known campaign counts against the account limit
 * only, as messaging counts it when it does not know the campaign either. The account limit is
 * kept per tenant here: the gateway sees one tenant's traffic.
 */
export function paceCountersOf(input: {
  tenantId: string;
  sender: string;
  channel: Channel;
  registration: SenderRegistrationClass | null;
  overrides?: LimitOverrides;
}): PaceCounter[] {
  const { tenantId, sender, channel, registration } = input;
  const overrides = input.overrides ?? {};
  const numberType = senderNumberTypeOf(sender);
  let limits: RateLimit[];
  let campaignId = '';
  let brandId = '';
  if (
    numberType === 'long_code' &&
    registration !== null &&
    isCampaignUsecase(registration.usecase)
  ) {
    campaignId = registration.campaignId;
    brandId = registration.brandId;
    const entityType = registration.entityType ?? 'PRIVATE_PROFIT';
    limits = limitsFor({
      vettingScore: registration.vettingScore,
      usecase: registration.usecase,
      entityType: isEntityType(entityType) ? entityType : 'PRIVATE_PROFIT',
      numberType: 'long_code',
      channel,
      overrides,
    });
  } else {
    limits = limitsFor({
      usecase: 'MIXED',
      entityType: 'PRIVATE_PROFIT',
      numberType: 'toll_free',
      channel,
      overrides,
    });
    if (numberType !== 'toll_free') {
      limits = limits.filter((limit) => limit.key === 'account_per_second');
    }
  }
  return limitsForRecipient(limits, null).map((limit): PaceCounter => {
    switch (limit.key) {
      case 'att_campaign_per_minute':
        return { limit, key: `${limit.key}/${part(tenantId)}/${part(campaignId)}/${channel}` };
      case 'tmobile_brand_per_day':
        return { limit, key: `${limit.key}/${part(tenantId)}/${part(brandId)}` };
      case 'toll_free_number_per_second':
        return { limit, key: `${limit.key}/${part(sender)}` };
      case 'account_per_second':
        return { limit, key: `${limit.key}/${part(tenantId)}/${channel}` };
    }
  });
}
