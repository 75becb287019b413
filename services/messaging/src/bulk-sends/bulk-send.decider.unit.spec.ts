import type { BulkDelivery, BulkRecipient, BulkSendRequested } from '@textplane/contracts';
import { nextDripBatchAt, nextDripOpening } from '@textplane/delivery-schedule';
import { deciderSpecification } from '@textplane/testing';
import { describe, expect, it } from 'vitest';
import type { BulkSendCommand } from './bulk-send.commands.js';
import {
  BulkSendRuleViolation,
  type BulkSendState,
  decide,
  dripScheduleOf,
  evolve,
  initialState,
} from './bulk-send.decider.js';
import type { BulkSendEvent } from './bulk-send.events.js';

const given = deciderSpecification<BulkSendCommand, BulkSendEvent, BulkSendState>({
  decide,
  evolve,
  initialState,
});

const bulkSendId = '5f0c7e1a-3b6d-4c2e-9a8f-1d2e3f4a5b6c';
const tenantId = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const createdAt = '2026-12-01T15:00:00.000Z';
const now = new Date('2026-12-01T15:00:05.000Z');

const drip: Extract<BulkDelivery, { mode: 'drip' }> = {
  mode: 'drip',
  startAt: '2026-12-01T15:00:00.000Z',
  batchSize: 2,
  every: { value: 1, unit: 'hours' },
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  window: { start: '09:00', end: '17:00' },
  timeZone: 'America/New_York',
};

function recipients(n: number, batchOf: (i: number) => number | null): BulkRecipient[] {
  return Array.from({ length: n }, (_, i) => ({
    position: i,
    contactId: `c${i}`,
    phone: `+1555000${String(i).padStart(4, '0')}`,
    batch: batchOf(i),
  }));
}

function created(delivery: BulkDelivery, batches: number, chunks = 1): BulkSendEvent {
  return {
    type: 'messaging.BulkSendCreated.v1',
    data: {
      bulkSendId,
      tenantId,
      message: { body: 'Hi {{ contact.first_name }}', mediaUrls: [], purpose: 'marketing' },
      delivery,
      recipients: batches * 2,
      sendable: batches * 2,
      batches,
      chunks,
      createdAt,
    },
  };
}

function frozen(chunk: number, list: BulkRecipient[], firstBatchAt?: string | null): BulkSendEvent {
  return {
    type: 'messaging.BulkSendRecipientsFrozen.v1',
    data: {
      bulkSendId,
      tenantId,
      chunk,
      recipients: list,
      ...(firstBatchAt !== undefined ? { firstBatchAt } : {}),
    },
  };
}

function released(batch: number, releasedAt: string, nextBatchAt: string | null): BulkSendEvent {
  return {
    type: 'messaging.BulkSendBatchReleased.v1',
    data: { bulkSendId, tenantId, batch, queued: 2, skipped: [], releasedAt, nextBatchAt },
  };
}

const release = (batch: number, at = now): BulkSendCommand => ({
  type: 'ReleaseBatch',
  tenantId,
  batch,
  queued: 2,
  skipped: [],
  now: at,
});
const control = (type: 'PauseBulkSend' | 'ResumeBulkSend' | 'CancelBulkSend', at = now) =>
  ({ type, tenantId, requestedAt: at, now: at }) as BulkSendCommand;

const request: BulkSendRequested = {
  bulkSendId,
  tenantId,
  message: { body: 'Hi', mediaUrls: [], purpose: 'marketing' },
  delivery: { mode: 'now' },
  recipients: 3,
  sendable: 2,
  batches: 1,
  chunks: 1,
  requestedAt: createdAt,
};

describe('bulk send decider: creation and frozen recipients', () => {
  it('takes a requested bulk send on once', () => {
    given([])
      .when({ type: 'CreateBulkSend', tenantId, request, now })
      .then([
        {
          type: 'messaging.BulkSendCreated.v1',
          data: {
            bulkSendId,
            tenantId,
            message: request.message,
            delivery: request.delivery,
            recipients: 3,
            sendable: 2,
            batches: 1,
            chunks: 1,
            createdAt: now.toISOString(),
          },
        },
      ]);
    given([created({ mode: 'now' }, 1)])
      .when({ type: 'CreateBulkSend', tenantId, request, now })
      .thenNothingHappens();
  });

  it('freezes chunks in order; the last carries when batch 0 is due (now: its creation)', () => {
    const list = recipients(2, () => 0);
    given([created({ mode: 'now' }, 1, 2), frozen(0, list)])
      .when({
        type: 'FreezeRecipients',
        tenantId,
        submitted: { bulkSendId, tenantId, chunk: 1, recipients: list },
        now,
      })
      .then([frozen(1, list, createdAt)]);
  });

  it('a redelivered chunk changes nothing; one from the future is refused', () => {
    const list = recipients(2, () => 0);
    const submitted = (chunk: number) => ({
      type: 'FreezeRecipients' as const,
      tenantId,
      submitted: { bulkSendId, tenantId, chunk, recipients: list },
      now,
    });
    given([created({ mode: 'now' }, 1, 3), frozen(0, list)])
      .when(submitted(0))
      .thenNothingHappens();
    given([created({ mode: 'now' }, 1, 3), frozen(0, list)])
      .when(submitted(2))
      .thenThrows((e) => e instanceof BulkSendRuleViolation && e.code === 'chunk_out_of_order');
  });

  it('a local-time schedule is due at the earliest sendAt of batch 0', () => {
    const list = recipients(3, (i) => (i < 2 ? 0 : 1)).map((r, i) => ({
      ...r,
      sendAt: ['2026-12-02T14:00:00.000Z', '2026-12-02T13:00:00.000Z', '2026-12-02T12:00:00.000Z'][
        i
      ]!,
    }));
    given([created({ mode: 'schedule', localTime: '2026-12-02T09:00', timeZone: 'recipient' }, 2)])
      .when({
        type: 'FreezeRecipients',
        tenantId,
        submitted: { bulkSendId, tenantId, chunk: 0, recipients: list },
        now,
      })
      .then([frozen(0, list, '2026-12-02T13:00:00.000Z')]);
  });

  it('a drip is due at its first opening: before the window it waits for it', () => {
    const list = recipients(2, () => 0);
    // 15:00 UTC is 10:00 in New York, inside the window: due at the start itself.
    given([created(drip, 1)])
      .when({
        type: 'FreezeRecipients',
        tenantId,
        submitted: { bulkSendId, tenantId, chunk: 0, recipients: list },
        now,
      })
      .then([frozen(0, list, '2026-12-01T15:00:00.000Z')]);
    const early = { ...drip, startAt: '2026-12-01T05:00:00.000Z' };
    given([created(early, 1)])
      .when({
        type: 'FreezeRecipients',
        tenantId,
        submitted: { bulkSendId, tenantId, chunk: 0, recipients: list },
        now,
      })
      .then([frozen(0, list, '2026-12-01T14:00:00.000Z')]);
  });

  it('nothing sendable: completed once the recipients are frozen', () => {
    const list = recipients(1, () => null).map((r) => ({
      ...r,
      skipped: 'duplicate_phone' as const,
    }));
    given([created({ mode: 'now' }, 0)])
      .when({
        type: 'FreezeRecipients',
        tenantId,
        submitted: { bulkSendId, tenantId, chunk: 0, recipients: list },
        now,
      })
      .then([
        frozen(0, list, null),
        {
          type: 'messaging.BulkSendCompleted.v1',
          data: { bulkSendId, tenantId, completedAt: now.toISOString() },
        },
      ]);
  });
});

describe('bulk send decider: batches', () => {
  const scheduled = [
    created({ mode: 'now' }, 2),
    frozen(
      0,
      recipients(4, (i) => (i < 2 ? 0 : 1)),
      createdAt,
    ),
  ];

  it('releases the next batch; a non-drip batch after it is due at once', () => {
    given(scheduled)
      .when(release(0))
      .then([released(0, now.toISOString(), now.toISOString())]);
  });

  it('the last batch completes the run', () => {
    given([...scheduled, released(0, createdAt, createdAt)])
      .when(release(1))
      .then([
        released(1, now.toISOString(), null),
        {
          type: 'messaging.BulkSendCompleted.v1',
          data: { bulkSendId, tenantId, completedAt: now.toISOString() },
        },
      ]);
  });

  it('refuses a batch that is not the next one (a batch released twice)', () => {
    given([...scheduled, released(0, createdAt, createdAt)])
      .when(release(0))
      .thenThrows((e) => e instanceof BulkSendRuleViolation && e.code === 'batch_not_releasable');
    given(scheduled)
      .when(release(1))
      .thenThrows((e) => e instanceof BulkSendRuleViolation && e.code === 'batch_not_releasable');
  });

  it('refuses a batch of a paused, canceled or completed run', () => {
    const paused: BulkSendEvent = {
      type: 'messaging.BulkSendPaused.v1',
      data: { bulkSendId, tenantId, reason: 'user', pausedAt: createdAt },
    };
    const canceled: BulkSendEvent = {
      type: 'messaging.BulkSendCanceled.v1',
      data: { bulkSendId, tenantId, canceledAt: createdAt },
    };
    for (const last of [paused, canceled]) {
      given([...scheduled, last])
        .when(release(0))
        .thenThrows((e) => e instanceof BulkSendRuleViolation);
    }
    given([created({ mode: 'now' }, 2)])
      .when(release(0))
      .thenThrows((e) => e instanceof BulkSendRuleViolation);
  });

  it("a drip's next batch is due at next(t_k + every) from the batch's own instant", () => {
    const first = '2026-12-01T15:00:00.000Z';
    const expected = nextDripBatchAt(dripScheduleOf(drip), new Date(first)).toISOString();
    expect(expected).toBe('2026-12-01T16:00:00.000Z');
    // Released 5 s late: the cadence keeps the schedule's instants, not the runner's lag.
    given([
      created(drip, 3),
      frozen(
        0,
        recipients(6, (i) => Math.floor(i / 2)),
        first,
      ),
    ])
      .when(release(0))
      .then([released(0, now.toISOString(), expected)]);
    // The last batch of the window's day moves to the next opening (21:00 UTC is 16:00 local; 17:00 closes).
    given([
      created(drip, 3),
      frozen(
        0,
        recipients(6, (i) => Math.floor(i / 2)),
        first,
      ),
      released(0, first, '2026-12-01T21:00:00.000Z'),
    ])
      .when(release(1, new Date('2026-12-01T21:00:01.000Z')))
      .then([released(1, '2026-12-01T21:00:01.000Z', '2026-12-02T14:00:00.000Z')]);
  });
});

describe('bulk send decider: pause, resume, cancel', () => {
  const first = '2026-12-01T15:00:00.000Z';
  const dripRun = [
    created(drip, 3),
    frozen(
      0,
      recipients(6, (i) => Math.floor(i / 2)),
      first,
    ),
    released(0, first, '2026-12-01T16:00:00.000Z'),
  ];
  const paused: BulkSendEvent = {
    type: 'messaging.BulkSendPaused.v1',
    data: { bulkSendId, tenantId, reason: 'user', pausedAt: now.toISOString() },
  };

  it('pauses a scheduled or running run, for the user', () => {
    given(dripRun).when(control('PauseBulkSend')).then([paused]);
  });

  it('pauses a running run for funds, and a credit resumes only a pause for funds', () => {
    const forFunds: BulkSendEvent = {
      type: 'messaging.BulkSendPaused.v1',
      data: { bulkSendId, tenantId, reason: 'insufficient_funds', pausedAt: now.toISOString() },
    };
    given(dripRun).when({ type: 'PauseForFunds', tenantId, now }).then([forFunds]);
    // Already paused (by the wallet or the client): nothing more; no refusal, nobody asked.
    given([...dripRun, forFunds])
      .when({ type: 'PauseForFunds', tenantId, now })
      .thenNothingHappens();
    given([...dripRun, paused])
      .when({ type: 'PauseForFunds', tenantId, now })
      .thenNothingHappens();
    const resumedAt = new Date('2026-12-01T18:30:00.000Z');
    given([...dripRun, forFunds])
      .when({ type: 'ResumeAfterFunds', tenantId, now: resumedAt })
      .then([
        {
          type: 'messaging.BulkSendResumed.v1',
          data: {
            bulkSendId,
            tenantId,
            resumedAt: resumedAt.toISOString(),
            nextBatchAt: nextDripOpening(dripScheduleOf(drip), resumedAt).toISOString(),
          },
        },
      ]);
    // The client's pause stays through a credit; a running send has nothing to resume.
    given([...dripRun, paused])
      .when({ type: 'ResumeAfterFunds', tenantId, now: resumedAt })
      .thenNothingHappens();
    given(dripRun)
      .when({ type: 'ResumeAfterFunds', tenantId, now: resumedAt })
      .thenNothingHappens();
  });

  it('a drip resumes at next(resumedAt), its cadence from there', () => {
    const resumedAt = new Date('2026-12-01T18:30:00.000Z');
    given([...dripRun, paused])
      .when(control('ResumeBulkSend', resumedAt))
      .then([
        {
          type: 'messaging.BulkSendResumed.v1',
          data: {
            bulkSendId,
            tenantId,
            resumedAt: resumedAt.toISOString(),
            nextBatchAt: nextDripOpening(dripScheduleOf(drip), resumedAt).toISOString(),
          },
        },
      ]);
    // After the window closed: the next day's opening.
    const late = new Date('2026-12-01T23:00:00.000Z');
    given([...dripRun, paused])
      .when(control('ResumeBulkSend', late))
      .then([
        {
          type: 'messaging.BulkSendResumed.v1',
          data: {
            bulkSendId,
            tenantId,
            resumedAt: late.toISOString(),
            nextBatchAt: '2026-12-02T14:00:00.000Z',
          },
        },
      ]);
  });

  it('a resumed run releases again; a paused one does not', () => {
    const resumed: BulkSendEvent = {
      type: 'messaging.BulkSendResumed.v1',
      data: { bulkSendId, tenantId, resumedAt: now.toISOString(), nextBatchAt: now.toISOString() },
    };
    given([...dripRun, paused])
      .when(release(1))
      .thenThrows((e) => e instanceof BulkSendRuleViolation);
    given([...dripRun, paused, resumed])
      .when(release(1))
      .then([
        released(1, now.toISOString(), nextDripBatchAt(dripScheduleOf(drip), now).toISOString()),
      ]);
  });

  it('cancels a scheduled, running or paused run', () => {
    const canceled: BulkSendEvent = {
      type: 'messaging.BulkSendCanceled.v1',
      data: { bulkSendId, tenantId, canceledAt: now.toISOString() },
    };
    given(dripRun).when(control('CancelBulkSend')).then([canceled]);
    given([...dripRun, paused])
      .when(control('CancelBulkSend'))
      .then([canceled]);
  });

  it('cancels a completed run, whose released messages may still wait (quiet hours, local times)', () => {
    const completed: BulkSendEvent = {
      type: 'messaging.BulkSendCompleted.v1',
      data: { bulkSendId, tenantId, completedAt: now.toISOString() },
    };
    const canceled: BulkSendEvent = {
      type: 'messaging.BulkSendCanceled.v1',
      data: { bulkSendId, tenantId, canceledAt: now.toISOString() },
    };
    given([...dripRun, completed])
      .when(control('CancelBulkSend'))
      .then([canceled]);
    given([...dripRun, completed])
      .when(control('PauseBulkSend'))
      .then([
        {
          type: 'messaging.BulkSendRequestRejected.v1',
          data: {
            bulkSendId,
            tenantId,
            request: 'pause',
            state: 'completed',
            rejectedAt: now.toISOString(),
          },
        },
      ]);
  });

  it('anything else is rejected with the state it met', () => {
    const rejected = (request: 'pause' | 'resume' | 'cancel', state: string): BulkSendEvent => ({
      type: 'messaging.BulkSendRequestRejected.v1',
      data: { bulkSendId, tenantId, request, state, rejectedAt: now.toISOString() },
    });
    const canceled: BulkSendEvent = {
      type: 'messaging.BulkSendCanceled.v1',
      data: { bulkSendId, tenantId, canceledAt: now.toISOString() },
    };
    given(dripRun)
      .when(control('ResumeBulkSend'))
      .then([rejected('resume', 'running')]);
    given([...dripRun, paused])
      .when(control('PauseBulkSend'))
      .then([rejected('pause', 'paused')]);
    given([...dripRun, canceled])
      .when(control('CancelBulkSend'))
      .then([rejected('cancel', 'canceled')]);
    given([...dripRun, canceled])
      .when(control('ResumeBulkSend'))
      .then([rejected('resume', 'canceled')]);
  });

  it('a request for an unknown bulk send is an error that records nothing', () => {
    given([])
      .when(control('PauseBulkSend'))
      .thenThrows((e) => e instanceof BulkSendRuleViolation && e.code === 'unknown_bulk_send');
  });
});
