import { describe, expect, it } from 'vitest';
import { type RemainingMessages, ReleaseGroups, remainingReleases } from './bulk-send-eta.js';

const NOW = new Date('2026-12-02T17:00:00.000Z');
const defaults = { now: NOW, sender: '+13125550100', channel: 'sms' as const, segments: 2 };
const remaining = (m: Partial<RemainingMessages>): RemainingMessages => ({
  state: 'pending',
  batch: null,
  sendAt: null,
  sender: null,
  channel: null,
  segments: null,
  count: 1,
  ...m,
});

describe('remainingReleases', () => {
  const drip = {
    mode: 'drip' as const,
    startAt: '2026-12-02T17:00:00.000Z',
    batchSize: 10,
    every: { value: 1, unit: 'hours' as const },
    days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
    window: { start: '00:00', end: '24:00' },
    timeZone: 'America/Chicago',
  };
  const row = {
    delivery: drip,
    batches: 3,
    batches_released: 1,
    next_batch_at: '2026-12-02T18:00:00.000Z',
  } as Parameters<typeof remainingReleases>[0];

  it('queued now, held at their instant, pending at their drip batch from the next batch on', () => {
    const releases = remainingReleases(
      row,
      [
        remaining({ state: 'queued', batch: 0, sender: '+13125550199', segments: 1, count: 4 }),
        remaining({ state: 'scheduled', batch: 0, sendAt: new Date('2026-12-02T20:00:00Z') }),
        remaining({ state: 'pending', batch: 1, count: 10 }),
        remaining({ state: 'pending', batch: 2, count: 10 }),
      ],
      defaults,
    );
    expect(releases.map((r) => [r.at.toISOString(), r.sender, r.cost, r.count])).toEqual([
      ['2026-12-02T17:00:00.000Z', '+13125550199', 1, 4],
      ['2026-12-02T20:00:00.000Z', '+13125550100', 2, 1],
      ['2026-12-02T18:00:00.000Z', '+13125550100', 2, 10],
      ['2026-12-02T19:00:00.000Z', '+13125550100', 2, 10],
    ]);
  });

  it('an MMS costs 1; a non-drip pending message goes at the next batch time', () => {
    const releases = remainingReleases(
      { ...row, delivery: { mode: 'now' } },
      [
        remaining({ batch: 0, count: 3 }),
        remaining({ state: 'queued', channel: 'mms', segments: 4 }),
      ],
      defaults,
    );
    expect(releases.map((r) => [r.at.toISOString(), r.channel, r.cost, r.count])).toEqual([
      ['2026-12-02T18:00:00.000Z', 'sms', 2, 3],
      ['2026-12-02T17:00:00.000Z', 'mms', 1, 1],
    ]);
  });
});

describe('ReleaseGroups', () => {
  it('adds up messages alike in instant, sender, channel and cost', () => {
    const groups = new ReleaseGroups();
    groups.add(NOW, '+1', 'sms', 1);
    groups.add(NOW, '+1', 'sms', 1, 4);
    groups.add(NOW, '+1', 'sms', 2);
    groups.add(NOW, '+2', 'sms', 1);
    expect(groups.list().map((g) => [g.sender, g.cost, g.count])).toEqual([
      ['+1', 1, 5],
      ['+1', 2, 1],
      ['+2', 1, 1],
    ]);
  });
});
