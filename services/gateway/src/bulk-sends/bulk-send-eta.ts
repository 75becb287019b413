import type { Channel, LimitOverrides } from '@textplane/trust-rules';
import type { BulkRecipientQueries } from './bulk-recipient-read-model.js';
import {
  type PaceCounter,
  type PacedRelease,
  pacedFinish,
  paceCountersOf,
} from './bulk-send-pace.js';

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
  const queued = await queries.queuedTraffic(input.tenantId, input.bulkSendId);
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
