import { dripBatches } from '@textplane/delivery-schedule';
import type { Channel, LimitOverrides } from '@textplane/trust-rules';
import type { BulkRecipientQueries } from './bulk-recipient-read-model.js';
import {
  type PaceCounter,
  type PacedRelease,
  pacedFinish,
  paceCountersOf,
} from './bulk-send-pace.js';
import { type BulkSendRow, dripScheduleOf } from './bulk-send-record.js';

/** Messages of a bulk send released together from one sender, alike in channel and cost. */
export interface ReleasedMessages {
  at: Date;
  sender: string;
  channel: Channel;
  cost: number;
  count: number;
}

/**
 * Groups messages by release instant, sender, channel and cost (what pacing tells apart), in
 * the order first seen: a 100,000-recipient send is a few groups per batch, not 100,000.
 */
export class ReleaseGroups {
  private readonly groups = new Map<string, ReleasedMessages>();

  add(at: Date, sender: string, channel: Channel, cost: number, count = 1): void {
    const key = `${at.getTime()}|${sender}|${channel}|${cost}`;
    const group = this.groups.get(key);
    if (group !== undefined) group.count += count;
    else this.groups.set(key, { at, sender, channel, cost, count });
  }

  list(): ReleasedMessages[] {
    return [...this.groups.values()];
  }
}

/**
 * Single messages (not of a bulk send) counted as queued ahead when created this recently: one
 * waits for its turn for seconds or minutes (a spent T-Mobile day makes it `scheduled`, not
 * queued), so a day bounds the read without missing traffic that competes now.
 */
export const SINGLE_MESSAGES_QUEUED_WITHIN_MS = 24 * 60 * 60 * 1000;

/**
 * When the last of a bulk send's messages goes out under the carriers' throughput limits
 * (pacedFinish), behind the tenant's traffic already queued: each sender's class read from the
 * Trust Center read models, the limits with the operator's overrides for the tenant
 * (`settings.throughputLimits`). Null when there is nothing to send.
 */
export async function pacedEta(
  queries: Pick<BulkRecipientQueries, 'senderRegistrations' | 'queuedTraffic'>,
  input: {
    tenantId: string;
    now: Date;
    overrides: LimitOverrides | undefined;
    releases: readonly ReleasedMessages[];
    /** A bulk send already created: its own queued messages are among `releases`, not ahead. */
    bulkSendId: string | null;
  },
): Promise<Date | null> {
  if (!input.releases.some((release) => release.count > 0)) return null;
  const since = new Date(input.now.getTime() - SINGLE_MESSAGES_QUEUED_WITHIN_MS);
  const queued = await queries.queuedTraffic(input.tenantId, input.bulkSendId, since);
  const senders = new Set([...input.releases, ...queued].map((m) => m.sender));
  const registrations = await queries.senderRegistrations(input.tenantId, [...senders]);
  const counters = new Map<string, PaceCounter[]>();
  const countersOf = (sender: string, channel: Channel): PaceCounter[] => {
    const key = `${sender}|${channel}`;
    let found = counters.get(key);
    if (found === undefined) {
      found = paceCountersOf({
        tenantId: input.tenantId,
        sender,
        channel,
        registration: registrations.get(sender) ?? null,
        ...(input.overrides !== undefined ? { overrides: input.overrides } : {}),
      });
      counters.set(key, found);
    }
    return found;
  };
  const release = (m: Omit<ReleasedMessages, 'at'>, at: Date): PacedRelease => ({
    at,
    count: m.count,
    cost: m.cost,
    counters: countersOf(m.sender, m.channel),
  });
  return pacedFinish({
    now: input.now,
    ahead: queued.map((m) => release(m, input.now)),
    releases: input.releases.map((m) => release(m, m.at)),
  });
}

/** A created bulk send's messages that have not gone out, as its read models count them. */
export interface RemainingMessages {
  /** pending: its batch not released; queued: released, or queued in the messages read model; scheduled: held until `sendAt`. */
  state: 'pending' | 'queued' | 'scheduled';
  batch: number | null;
  /** Its own instant (a local time, a hold), when it has one. */
  sendAt: Date | null;
  /** Its message's sender, else the send's `from`, else the contact's sticky sender; null: the tenant's default. */
  sender: string | null;
  /** Its message's channel and segments, once queued; null before. */
  channel: Channel | null;
  segments: number | null;
  count: number;
}

/**
 * When each of a running bulk send's remaining messages is released: queued ones now; held ones
 * at their `sendAt`; a pending one at its own instant, else its drip batch's time (the schedule
 * from the next batch's time on, as etaOf reckons it), else the next batch's time. A message not
 * queued yet counts as the send's channel and as many segments as the most its queued messages
 * have (`defaults.segments`). Pure.
 */
export function remainingReleases(
  row: Pick<BulkSendRow, 'delivery' | 'batches' | 'batches_released' | 'next_batch_at'>,
  remaining: readonly RemainingMessages[],
  defaults: { now: Date; sender: string; channel: Channel; segments: number },
): ReleasedMessages[] {
  const { delivery } = row;
  const nextAt = row.next_batch_at === null ? defaults.now : new Date(row.next_batch_at);
  let dripAts: Date[] | null = null;
  const batchAt = (batch: number): Date => {
    if (delivery.mode !== 'drip') return nextAt;
    if (dripAts === null) {
      const left = Math.max(0, row.batches - row.batches_released);
      const schedule = { ...dripScheduleOf(delivery), startAt: nextAt };
      dripAts = [...dripBatches(schedule, left * delivery.batchSize)].map((b) => b.at);
    }
    return dripAts[batch - row.batches_released] ?? dripAts[dripAts.length - 1] ?? nextAt;
  };
  const groups = new ReleaseGroups();
  for (const m of remaining) {
    const at =
      m.state === 'queued'
        ? defaults.now
        : m.sendAt !== null
          ? m.sendAt
          : m.state === 'pending' && m.batch !== null
            ? batchAt(m.batch)
            : nextAt;
    const channel = m.channel ?? defaults.channel;
    const cost = channel === 'mms' ? 1 : Math.max(1, m.segments ?? defaults.segments);
    groups.add(at, m.sender ?? defaults.sender, channel, cost, m.count);
  }
  return groups.list();
}
