import {
  BULK_RECIPIENTS_PER_CHUNK,
  BULK_RELEASE_BATCH_SIZE,
  type BulkDelivery,
  bulkMessageId,
} from '@textplane/contracts';
import { describe, expect, it } from 'vitest';
import {
  type BulkSendEvent,
  type BulkSendRow,
  bulkRecipientChangesOf,
  bulkSendRequestEvents,
  controlRefusal,
  etaOf,
  evolveBulkSend,
  freezeRecipients,
  releaseBatchSize,
} from './bulk-send-record.js';

const BULK = '0190c5a0-0000-7000-8000-000000000001';
const TENANT = '0190c5a0-0000-7000-8000-0000000000aa';
const contacts = (n: number, phoneOf: (i: number) => string = (i) => `+1555000${1000 + i}`) =>
  Array.from({ length: n }, (_, i) => ({ id: `c-${i}`, phone: phoneOf(i) }));

describe('freezeRecipients', () => {
  it('keeps recipient order, skips a later contact sharing a phone, batches the sendable ones', () => {
    const ordered = [
      { id: 'c-a', phone: '+15550001' },
      { id: 'c-b', phone: '+15550002' },
      { id: 'c-c', phone: '+15550001' },
      { id: 'c-d', phone: '+15550003' },
      { id: 'c-a', phone: '+15550001' },
    ];
    const frozen = freezeRecipients(ordered, 2);
    expect(frozen.recipients).toEqual([
      { position: 0, contactId: 'c-a', phone: '+15550001', batch: 0 },
      { position: 1, contactId: 'c-b', phone: '+15550002', batch: 0 },
      {
        position: 2,
        contactId: 'c-c',
        phone: '+15550001',
        batch: null,
        skipped: 'duplicate_phone',
      },
      { position: 3, contactId: 'c-d', phone: '+15550003', batch: 1 },
      {
        position: 4,
        contactId: 'c-a',
        phone: '+15550001',
        batch: null,
        skipped: 'duplicate_phone',
      },
    ]);
    expect([frozen.sendable, frozen.batches]).toEqual([3, 2]);
  });

  it('gives each sendable recipient its own instant by its place among the sendable ones', () => {
    const base = Date.parse('2026-12-03T15:00:00Z');
    const frozen = freezeRecipients(
      [
        { id: 'c-a', phone: '+15550001' },
        { id: 'c-b', phone: '+15550001' },
        { id: 'c-c', phone: '+15550002' },
      ],
      BULK_RELEASE_BATCH_SIZE,
      (i) => new Date(base + i * 3_600_000),
    );
    expect(frozen.recipients.map((r) => r.sendAt)).toEqual([
      '2026-12-03T15:00:00.000Z',
      undefined,
      '2026-12-03T16:00:00.000Z',
    ]);
  });

  it('releases non-drip sends in batches of 1,000 and a drip in its batchSize', () => {
    const now: BulkDelivery = { mode: 'now' };
    const frozen = freezeRecipients(contacts(2_001), releaseBatchSize(now));
    expect(frozen.batches).toBe(3);
    expect(frozen.recipients.map((r) => r.batch).slice(998, 1_002)).toEqual([0, 0, 1, 1]);
    expect(frozen.recipients.at(-1)?.batch).toBe(2);
    const drip = { ...DRIP, batchSize: 7 };
    expect(releaseBatchSize(drip)).toBe(7);
  });
});

const DRIP: Extract<BulkDelivery, { mode: 'drip' }> = {
  mode: 'drip',
  startAt: '2026-12-03T15:00:00.000Z',
  batchSize: 2,
  every: { value: 5, unit: 'seconds' },
  days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
  window: { start: '00:00', end: '24:00' },
  timeZone: 'America/Chicago',
};

describe('bulkSendRequestEvents', () => {
  it('records the request, then the recipients in chunks of at most 2,000 in order', () => {
    const frozen = freezeRecipients(contacts(4_001), BULK_RELEASE_BATCH_SIZE);
    const events = bulkSendRequestEvents({
      bulkSendId: BULK,
      tenantId: TENANT,
      message: { body: 'Hi', mediaUrls: [], purpose: 'marketing' },
      delivery: { mode: 'now' },
      frozen,
      requestedAt: '2026-12-03T15:00:00.000Z',
    });
    expect(events.map((e) => e.type)).toEqual([
      'gateway.BulkSendRequested.v1',
      'gateway.BulkSendRecipientsSubmitted.v1',
      'gateway.BulkSendRecipientsSubmitted.v1',
      'gateway.BulkSendRecipientsSubmitted.v1',
    ]);
    expect(events[0]?.data).toMatchObject({
      recipients: 4_001,
      sendable: 4_001,
      batches: 5,
      chunks: 3,
    });
    const chunks = events.slice(1).map((e) => {
      if (e.type !== 'gateway.BulkSendRecipientsSubmitted.v1') throw new Error(e.type);
      return e.data;
    });
    expect(chunks.map((c) => [c.chunk, c.recipients.length])).toEqual([
      [0, BULK_RECIPIENTS_PER_CHUNK],
      [1, BULK_RECIPIENTS_PER_CHUNK],
      [2, 1],
    ]);
    expect(chunks.flatMap((c) => c.recipients.map((r) => r.position))).toEqual(
      Array.from({ length: 4_001 }, (_, i) => i),
    );
  });
});

describe("batch 0's time as the request tells it", () => {
  const requestOf = (delivery: BulkDelivery, recipients = contacts(3)): BulkSendEvent[] =>
    bulkSendRequestEvents({
      bulkSendId: BULK,
      tenantId: TENANT,
      message: { body: 'Hi', mediaUrls: [], purpose: 'marketing' },
      delivery,
      frozen: freezeRecipients(
        recipients,
        releaseBatchSize(delivery),
        'localTime' in delivery
          ? (i) => new Date(Date.parse('2026-12-04T02:00:00Z') - i * 3_600_000)
          : undefined,
      ),
      requestedAt: '2026-12-03T14:00:00.000Z',
    });
  const nextAt = (events: BulkSendEvent[]) =>
    events.reduce<BulkSendRow | null>((row, e) => evolveBulkSend(row, e), null)?.next_batch_at;

  it("is the request for now, `at`, the earliest own instant of a localTime's batch 0", () => {
    expect(nextAt(requestOf({ mode: 'now' }))).toBe('2026-12-03T14:00:00.000Z');
    expect(nextAt(requestOf({ mode: 'schedule', at: '2026-12-04T00:00:00.000Z' }))).toBe(
      '2026-12-04T00:00:00.000Z',
    );
    expect(
      nextAt(requestOf({ mode: 'schedule', localTime: '2026-12-03T20:00', timeZone: 'recipient' })),
    ).toBe('2026-12-04T00:00:00.000Z');
  });

  it("is the drip's first opening, and null with nothing to send", () => {
    expect(nextAt(requestOf(DRIP))).toBe(DRIP.startAt);
    // 15:00 UTC is 09:00 in Chicago: the window opens at 18:00 local, 00:00 UTC next day.
    const evenings = { ...DRIP, window: { start: '18:00', end: '20:00' } };
    expect(nextAt(requestOf(evenings))).toBe('2026-12-04T00:00:00.000Z');
    const sameNumber = [
      { id: 'c-0', phone: '+15550001' },
      { id: 'c-1', phone: '+15550001' },
    ];
    const [request] = requestOf(DRIP, sameNumber);
    if (request?.type !== 'gateway.BulkSendRequested.v1') throw new Error('no request');
    expect(nextAt([{ ...request, data: { ...request.data, sendable: 0, batches: 0 } }])).toBeNull();
  });
});

const at = (s: number) => new Date(Date.parse('2026-12-03T15:00:00.000Z') + s * 1000).toISOString();

function requested(sendable = 6, batches = 3): BulkSendEvent {
  return {
    type: 'gateway.BulkSendRequested.v1',
    data: {
      bulkSendId: BULK,
      tenantId: TENANT,
      message: { body: 'Hi', mediaUrls: [], purpose: 'transactional' },
      delivery: DRIP,
      recipients: sendable + 1,
      sendable,
      batches,
      chunks: 1,
      requestedAt: at(-10),
    },
  };
}
const control = (
  type:
    | 'gateway.BulkSendPauseRequested.v1'
    | 'gateway.BulkSendResumeRequested.v1'
    | 'gateway.BulkSendCancelRequested.v1',
  s: number,
): BulkSendEvent => ({ type, data: { bulkSendId: BULK, tenantId: TENANT, requestedAt: at(s) } });
const released = (batch: number, s: number, nextAt: string | null, skipped = 0): BulkSendEvent => ({
  type: 'messaging.BulkSendBatchReleased.v1',
  data: {
    bulkSendId: BULK,
    tenantId: TENANT,
    batch,
    queued: 2 - skipped,
    skipped: Array.from({ length: skipped }, (_, i) => ({
      contactId: `c-${i}`,
      reason: 'missing_merge_value' as const,
    })),
    releasedAt: at(s),
    nextBatchAt: nextAt,
  },
});
const paused = (s: number, reason: 'user' | 'insufficient_funds' = 'user'): BulkSendEvent => ({
  type: 'messaging.BulkSendPaused.v1',
  data: { bulkSendId: BULK, tenantId: TENANT, reason, pausedAt: at(s) },
});
const resumed = (s: number, nextAt: string | null): BulkSendEvent => ({
  type: 'messaging.BulkSendResumed.v1',
  data: { bulkSendId: BULK, tenantId: TENANT, resumedAt: at(s), nextBatchAt: nextAt },
});

function fold(events: BulkSendEvent[]): BulkSendRow | null {
  return events.reduce<BulkSendRow | null>((row, event) => evolveBulkSend(row, event), null);
}

describe('evolveBulkSend', () => {
  it('given a request, then its chunk and messaging frozen: scheduled at the first batch', () => {
    const row = fold([
      requested(),
      {
        type: 'gateway.BulkSendRecipientsSubmitted.v1',
        data: {
          bulkSendId: BULK,
          tenantId: TENANT,
          chunk: 0,
          recipients: [{ position: 0, contactId: 'c-0', phone: '+15550001', batch: 0 }],
        },
      },
      {
        type: 'messaging.BulkSendRecipientsFrozen.v1',
        data: { bulkSendId: BULK, tenantId: TENANT, chunk: 0, recipients: [], firstBatchAt: at(0) },
      },
    ]);
    expect(row).toMatchObject({
      status: 'scheduled',
      recipients: 7,
      sendable: 6,
      duplicate_phone: 1,
      batches: 3,
      batches_released: 0,
      next_batch_at: at(0),
      stream_version: 2,
    });
  });

  it('when batches are released: running, counted once, merge failures skipped; completed', () => {
    const once = fold([requested(), released(0, 0, at(5), 1)]);
    expect(evolveBulkSend(once, released(0, 0, at(5), 1))).toBe(once);
    const done = fold([
      requested(),
      released(0, 0, at(5), 1),
      released(1, 5, at(10)),
      released(2, 10, null),
      {
        type: 'messaging.BulkSendCompleted.v1',
        data: { bulkSendId: BULK, tenantId: TENANT, completedAt: at(10) },
      },
    ]);
    expect(once).toMatchObject({
      status: 'running',
      batches_released: 1,
      sendable: 5,
      missing_merge_value: 1,
    });
    expect(done).toMatchObject({
      status: 'completed',
      batches_released: 3,
      next_batch_at: null,
      completed_at: at(10),
      updated_at: at(10),
    });
  });

  it("shows a pause at once, and messaging's late answer to it does not undo a later resume", () => {
    const pausing = fold([
      requested(),
      released(0, 0, at(5)),
      control('gateway.BulkSendPauseRequested.v1', 1),
    ]);
    expect(pausing).toMatchObject({
      status: 'paused',
      paused_reason: 'user',
      requests_pending: 1,
      stream_version: 2,
    });
    const resuming = evolveBulkSend(pausing, control('gateway.BulkSendResumeRequested.v1', 2));
    expect(resuming).toMatchObject({ status: 'running', paused_reason: null, requests_pending: 2 });
    const answeredPause = evolveBulkSend(resuming, paused(1));
    expect(answeredPause).toMatchObject({ status: 'running', requests_pending: 1 });
    const answeredResume = evolveBulkSend(answeredPause, resumed(2, at(2)));
    expect(answeredResume).toMatchObject({
      status: 'running',
      requests_pending: 0,
      next_batch_at: at(2),
    });
  });

  it('a pause for insufficient funds shows at once; a cancel is final with its instant', () => {
    const broke = fold([requested(), released(0, 0, at(5)), paused(3, 'insufficient_funds')]);
    expect(broke).toMatchObject({ status: 'paused', paused_reason: 'insufficient_funds' });
    const canceled = fold([
      requested(),
      control('gateway.BulkSendCancelRequested.v1', 1),
      {
        type: 'messaging.BulkSendCanceled.v1',
        data: { bulkSendId: BULK, tenantId: TENANT, canceledAt: at(1) },
      },
      released(0, 0, at(5)),
    ]);
    expect(canceled).toMatchObject({
      status: 'canceled',
      canceled_at: at(1),
      completed_at: null,
      next_batch_at: null,
      requests_pending: 0,
    });
  });

  it("a rejected request settles on messaging's state", () => {
    const row = fold([
      requested(),
      released(0, 0, null),
      control('gateway.BulkSendCancelRequested.v1', 1),
      {
        type: 'messaging.BulkSendCompleted.v1',
        data: { bulkSendId: BULK, tenantId: TENANT, completedAt: at(0) },
      },
    ]);
    expect(row).toMatchObject({ status: 'canceled', requests_pending: 1 });
    const settled = evolveBulkSend(row, {
      type: 'messaging.BulkSendRequestRejected.v1',
      data: {
        bulkSendId: BULK,
        tenantId: TENANT,
        request: 'cancel',
        state: 'completed',
        rejectedAt: at(2),
      },
    });
    expect(settled).toMatchObject({
      status: 'completed',
      canceled_at: null,
      completed_at: at(0),
      requests_pending: 0,
    });
  });

  it('a fact of no known bulk send changes nothing', () => {
    expect(evolveBulkSend(null, released(0, 0, null))).toBeNull();
    expect(evolveBulkSend(null, paused(0))).toBeNull();
  });
});

describe('bulkRecipientChangesOf', () => {
  it('inserts a chunk with each sendable recipient’s bulkMessageId, marks merge failures skipped', () => {
    const change = bulkRecipientChangesOf({
      type: 'gateway.BulkSendRecipientsSubmitted.v1',
      data: {
        bulkSendId: BULK,
        tenantId: TENANT,
        chunk: 0,
        recipients: [
          { position: 0, contactId: 'c-0', phone: '+15550001', batch: 0, sendAt: at(0) },
          {
            position: 1,
            contactId: 'c-1',
            phone: '+15550001',
            batch: null,
            skipped: 'duplicate_phone',
          },
        ],
      },
    });
    expect(change).toEqual({
      kind: 'insert',
      rows: [
        {
          bulk_send_id: BULK,
          position: 0,
          contact_id: 'c-0',
          phone: '+15550001',
          batch: 0,
          message_id: bulkMessageId(BULK, 'c-0'),
          skipped: null,
          send_at: at(0),
        },
        {
          bulk_send_id: BULK,
          position: 1,
          contact_id: 'c-1',
          phone: '+15550001',
          batch: null,
          message_id: null,
          skipped: 'duplicate_phone',
          send_at: null,
        },
      ],
    });
    expect(bulkRecipientChangesOf(released(0, 0, null, 1))).toEqual({
      kind: 'skip',
      bulkSendId: BULK,
      contactIds: ['c-0'],
    });
    expect(bulkRecipientChangesOf(released(0, 0, null))).toBeNull();
  });
});

describe('controlRefusal', () => {
  it.each([
    ['scheduled', 'pause', null],
    ['running', 'pause', null],
    ['paused', 'pause', 'bulk_send_not_running'],
    ['paused', 'resume', null],
    ['running', 'resume', 'bulk_send_not_paused'],
    ['scheduled', 'resume', 'bulk_send_not_paused'],
    ['paused', 'cancel', null],
    ['completed', 'pause', 'bulk_send_finished'],
    ['canceled', 'resume', 'bulk_send_finished'],
    ['completed', 'cancel', 'bulk_send_finished'],
  ] as const)('%s, %s: %s', (status, request, refusal) => {
    expect(controlRefusal(status, request)).toBe(refusal);
  });

  it('cancels a completed send while some of its messages still wait, and only a cancel', () => {
    expect(controlRefusal('completed', 'cancel', true)).toBeNull();
    expect(controlRefusal('completed', 'pause', true)).toBe('bulk_send_finished');
    expect(controlRefusal('canceled', 'cancel', true)).toBe('bulk_send_finished');
  });
});

describe('etaOf', () => {
  it("is a drip's last batch from the next batch's time, null once finished", () => {
    const row = fold([requested(), released(0, 0, at(5))]) as BulkSendRow;
    expect(etaOf(row, null)).toBe(at(10));
    const resumedLater = { ...row, next_batch_at: at(60) };
    expect(etaOf(resumedLater, null)).toBe(at(65));
    expect(etaOf({ ...row, status: 'completed' }, null)).toBeNull();
  });
});
