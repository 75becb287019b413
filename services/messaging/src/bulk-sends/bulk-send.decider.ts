import type { BulkDelivery, BulkMessageContent, BulkSendPauseReason } from '@textplane/contracts';
import { type DripSchedule, nextDripBatchAt, nextDripOpening } from '@textplane/delivery-schedule';
import type { BulkSendCommand } from './bulk-send.commands.js';
import type { BulkSendEvent } from './bulk-send.events.js';

export type BulkSendStatus = 'scheduled' | 'running' | 'paused' | 'completed' | 'canceled';

/** What the run knows of the bulk send once created. */
interface BulkSendBasics {
  bulkSendId: string;
  tenantId: string;
  message: BulkMessageContent;
  delivery: BulkDelivery;
  recipients: number;
  sendable: number;
  batches: number;
  chunks: number;
  /** The tenant's default sender at creation (BulkSendCreated.defaultSender), when known. */
  defaultSender?: string;
  createdAt: string;
}

/**
 * A bulk send's run: `collecting` its frozen recipients chunk by chunk, then `scheduled` (no batch
 * released yet), `running`, `paused`, and at the end `completed` or `canceled`.
 */
export type BulkSendState =
  | { status: 'none' }
  | (BulkSendBasics & {
      status: 'collecting';
      /** The chunk expected next. */
      nextChunk: number;
      /** The earliest `sendAt` among batch 0's recipients (schedule at a local time). */
      firstSendAt: string | null;
    })
  | (BulkSendBasics & {
      status: BulkSendStatus;
      /** The batch released next (`batches` when all are released). */
      nextBatch: number;
      /** When it is due; null when there is none (or the run is paused, finished). */
      nextBatchAt: string | null;
      /** The status a resume goes back to. */
      resumeTo: 'scheduled' | 'running';
      pausedReason: BulkSendPauseReason | null;
    });

export type RunningState = Extract<BulkSendState, { nextBatch: number }>;

export const initialState: BulkSendState = { status: 'none' };

export class BulkSendRuleViolation extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BulkSendRuleViolation';
  }
}

/** Whether `batch` may be released now: the next one, of a run that is neither paused nor over. */
export function releasable(state: BulkSendState, batch: number): boolean {
  return (
    (state.status === 'scheduled' || state.status === 'running') &&
    state.nextBatch === batch &&
    batch < state.batches
  );
}

/** The drip of a normalised delivery, as libs/delivery-schedule takes it. */
export function dripScheduleOf(delivery: Extract<BulkDelivery, { mode: 'drip' }>): DripSchedule {
  return {
    startAt: new Date(delivery.startAt),
    batchSize: delivery.batchSize,
    every: delivery.every,
    days: delivery.days,
    window: delivery.window,
    timeZone: delivery.timeZone,
  };
}

/**
 * When batch 0 is due: `now` at its creation; `at` for a schedule; the earliest recipient `sendAt`
 * of batch 0 for a local-time schedule; the drip's first opening at or after its start.
 */
export function firstBatchAtOf(
  delivery: BulkDelivery,
  createdAt: string,
  firstSendAt: string | null,
): string {
  switch (delivery.mode) {
    case 'now':
      return createdAt;
    case 'schedule':
      return 'at' in delivery ? delivery.at : (firstSendAt ?? createdAt);
    case 'drip':
      return nextDripOpening(dripScheduleOf(delivery), new Date(delivery.startAt)).toISOString();
  }
}

/** When the batch after one due at `dueAt` (released at `releasedAt`) is due. */
function followingBatchAt(delivery: BulkDelivery, dueAt: string, releasedAt: Date): string {
  if (delivery.mode !== 'drip') return releasedAt.toISOString();
  // From the batch's own instant, not the runner's lag behind it: the preview's times, to the second.
  return nextDripBatchAt(dripScheduleOf(delivery), new Date(dueAt)).toISOString();
}

function basicsOf(state: BulkSendBasics): BulkSendBasics {
  const { bulkSendId, tenantId, message, delivery, recipients, sendable, batches, chunks } = state;
  return {
    bulkSendId,
    tenantId,
    message,
    delivery,
    recipients,
    sendable,
    batches,
    chunks,
    ...(state.defaultSender !== undefined ? { defaultSender: state.defaultSender } : {}),
    createdAt: state.createdAt,
  };
}

export function decide(command: BulkSendCommand, state: BulkSendState): BulkSendEvent[] {
  switch (command.type) {
    case 'CreateBulkSend': {
      // The request again (a redelivery): it is already taken on.
      if (state.status !== 'none') return [];
      const r = command.request;
      return [
        {
          type: 'messaging.BulkSendCreated.v1',
          data: {
            bulkSendId: r.bulkSendId,
            tenantId: r.tenantId,
            message: r.message,
            delivery: r.delivery,
            recipients: r.recipients,
            sendable: r.sendable,
            batches: r.batches,
            chunks: r.chunks,
            ...(r.defaultSender !== undefined ? { defaultSender: r.defaultSender } : {}),
            createdAt: command.now.toISOString(),
          },
        },
      ];
    }
    case 'FreezeRecipients':
      return decideFreeze(command, state);
    case 'ReleaseBatch':
      return decideRelease(command, state);
    case 'PauseBulkSend': {
      if (state.status !== 'scheduled' && state.status !== 'running') {
        return [rejection(command, state, 'pause')];
      }
      return [
        {
          type: 'messaging.BulkSendPaused.v1',
          data: {
            bulkSendId: state.bulkSendId,
            tenantId: state.tenantId,
            reason: 'user',
            pausedAt: command.now.toISOString(),
          },
        },
      ];
    }
    case 'PauseForFunds': {
      // Paused by the wallet, not the client: nothing to refuse when it is not running.
      if (state.status !== 'scheduled' && state.status !== 'running') return [];
      return [
        {
          type: 'messaging.BulkSendPaused.v1',
          data: {
            bulkSendId: state.bulkSendId,
            tenantId: state.tenantId,
            reason: 'insufficient_funds',
            pausedAt: command.now.toISOString(),
          },
        },
      ];
    }
    case 'ResumeAfterFunds': {
      // Only a pause for funds is lifted by a credit; the client's own pause stays.
      if (state.status !== 'paused' || state.pausedReason !== 'insufficient_funds') return [];
      return [
        {
          type: 'messaging.BulkSendResumed.v1',
          data: {
            bulkSendId: state.bulkSendId,
            tenantId: state.tenantId,
            resumedAt: command.now.toISOString(),
            nextBatchAt: resumedBatchAt(state, command.now),
          },
        },
      ];
    }
    case 'ResumeBulkSend': {
      if (state.status !== 'paused') return [rejection(command, state, 'resume')];
      return [
        {
          type: 'messaging.BulkSendResumed.v1',
          data: {
            bulkSendId: state.bulkSendId,
            tenantId: state.tenantId,
            resumedAt: command.now.toISOString(),
            nextBatchAt: resumedBatchAt(state, command.now),
          },
        },
      ];
    }
    case 'CancelBulkSend': {
      // A completed send may still have messages waiting (held by quiet hours, scheduled at a
      // recipient's local time): a cancel reaches them too. The gateway refuses it once none waits.
      if (
        state.status !== 'scheduled' &&
        state.status !== 'running' &&
        state.status !== 'paused' &&
        state.status !== 'completed'
      ) {
        return [rejection(command, state, 'cancel')];
      }
      return [
        {
          type: 'messaging.BulkSendCanceled.v1',
          data: {
            bulkSendId: state.bulkSendId,
            tenantId: state.tenantId,
            canceledAt: command.now.toISOString(),
          },
        },
      ];
    }
  }
}

/**
 * After a resume: a drip's next batch at next(resumedAt), its cadence from there (never before the
 * drip's first opening); anything else at once, or at its time if that is still ahead.
 */
function resumedBatchAt(state: RunningState, now: Date): string | null {
  if (state.nextBatch >= state.batches) return null;
  const due = state.nextBatchAt !== null ? Date.parse(state.nextBatchAt) : now.getTime();
  if (state.delivery.mode === 'drip') {
    const schedule = dripScheduleOf(state.delivery);
    const from = state.resumeTo === 'scheduled' ? Math.max(due, now.getTime()) : now.getTime();
    return nextDripOpening(schedule, new Date(from)).toISOString();
  }
  return new Date(Math.max(due, now.getTime())).toISOString();
}

function decideFreeze(
  command: Extract<BulkSendCommand, { type: 'FreezeRecipients' }>,
  state: BulkSendState,
): BulkSendEvent[] {
  const submitted = command.submitted;
  if (state.status === 'none') {
    throw new BulkSendRuleViolation(
      'unknown_bulk_send',
      `recipients of bulk send ${submitted.bulkSendId} came before the bulk send`,
    );
  }
  // A chunk already frozen (a redelivery) changes nothing.
  if (state.status !== 'collecting' || submitted.chunk < state.nextChunk) return [];
  if (submitted.chunk > state.nextChunk) {
    throw new BulkSendRuleViolation(
      'chunk_out_of_order',
      `bulk send ${state.bulkSendId}: chunk ${submitted.chunk} came before chunk ${state.nextChunk}`,
    );
  }
  const last = submitted.chunk === state.chunks - 1;
  const firstSendAt = earliest(state.firstSendAt, batchZeroSendAt(submitted.recipients));
  const data = {
    bulkSendId: state.bulkSendId,
    tenantId: state.tenantId,
    chunk: submitted.chunk,
    recipients: submitted.recipients,
    ...(last
      ? {
          firstBatchAt:
            state.batches === 0
              ? null
              : firstBatchAtOf(state.delivery, state.createdAt, firstSendAt),
        }
      : {}),
  };
  const frozen: BulkSendEvent = { type: 'messaging.BulkSendRecipientsFrozen.v1', data };
  if (!last || state.batches > 0) return [frozen];
  // Nothing sendable: the send is over as soon as its recipients are known.
  return [
    frozen,
    {
      type: 'messaging.BulkSendCompleted.v1',
      data: {
        bulkSendId: state.bulkSendId,
        tenantId: state.tenantId,
        completedAt: command.now.toISOString(),
      },
    },
  ];
}

function batchZeroSendAt(
  recipients: ReadonlyArray<{ batch: number | null; sendAt?: string }>,
): string | null {
  let found: string | null = null;
  for (const recipient of recipients) {
    if (recipient.batch === 0 && recipient.sendAt !== undefined) {
      found = earliest(found, recipient.sendAt);
    }
  }
  return found;
}

function earliest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(a) <= Date.parse(b) ? a : b;
}

function decideRelease(
  command: Extract<BulkSendCommand, { type: 'ReleaseBatch' }>,
  state: BulkSendState,
): BulkSendEvent[] {
  if (
    state.status === 'none' ||
    state.status === 'collecting' ||
    !releasable(state, command.batch)
  ) {
    const next = state.status === 'none' || state.status === 'collecting' ? null : state.nextBatch;
    throw new BulkSendRuleViolation(
      'batch_not_releasable',
      `batch ${command.batch} cannot be released: the run is ${state.status}` +
        (next !== null ? `, its next batch is ${next}` : ''),
    );
  }
  const last = command.batch === state.batches - 1;
  const dueAt = state.nextBatchAt ?? command.now.toISOString();
  const released: BulkSendEvent = {
    type: 'messaging.BulkSendBatchReleased.v1',
    data: {
      bulkSendId: state.bulkSendId,
      tenantId: state.tenantId,
      batch: command.batch,
      queued: command.queued,
      skipped: command.skipped,
      releasedAt: command.now.toISOString(),
      nextBatchAt: last ? null : followingBatchAt(state.delivery, dueAt, command.now),
    },
  };
  if (!last) return [released];
  return [
    released,
    {
      type: 'messaging.BulkSendCompleted.v1',
      data: {
        bulkSendId: state.bulkSendId,
        tenantId: state.tenantId,
        completedAt: command.now.toISOString(),
      },
    },
  ];
}

function rejection(
  command: Extract<
    BulkSendCommand,
    { type: 'PauseBulkSend' | 'ResumeBulkSend' | 'CancelBulkSend' }
  >,
  state: BulkSendState,
  request: 'pause' | 'resume' | 'cancel',
): BulkSendEvent {
  if (state.status === 'none') {
    throw new BulkSendRuleViolation(
      'unknown_bulk_send',
      `a ${request} request came for a bulk send messaging does not know`,
    );
  }
  return {
    type: 'messaging.BulkSendRequestRejected.v1',
    data: {
      bulkSendId: state.bulkSendId,
      tenantId: state.tenantId,
      request,
      state: state.status,
      rejectedAt: command.now.toISOString(),
    },
  };
}

export function evolve(state: BulkSendState, event: BulkSendEvent): BulkSendState {
  switch (event.type) {
    case 'messaging.BulkSendCreated.v1':
      return { ...event.data, status: 'collecting', nextChunk: 0, firstSendAt: null };
    case 'messaging.BulkSendRecipientsFrozen.v1': {
      if (state.status !== 'collecting') return state;
      const d = event.data;
      const firstSendAt = earliest(state.firstSendAt, batchZeroSendAt(d.recipients));
      if (d.chunk < state.chunks - 1) return { ...state, nextChunk: d.chunk + 1, firstSendAt };
      return {
        ...basicsOf(state),
        status: 'scheduled',
        nextBatch: 0,
        nextBatchAt: d.firstBatchAt ?? null,
        resumeTo: 'scheduled',
        pausedReason: null,
      };
    }
    case 'messaging.BulkSendBatchReleased.v1':
      if (!('nextBatch' in state)) return state;
      return {
        ...state,
        status: 'running',
        nextBatch: event.data.batch + 1,
        nextBatchAt: event.data.nextBatchAt,
        resumeTo: 'running',
      };
    case 'messaging.BulkSendPaused.v1':
      if (!('nextBatch' in state)) return state;
      return {
        ...state,
        status: 'paused',
        resumeTo: state.status === 'running' ? 'running' : 'scheduled',
        pausedReason: event.data.reason,
      };
    case 'messaging.BulkSendResumed.v1':
      if (!('nextBatch' in state)) return state;
      return {
        ...state,
        status: state.resumeTo,
        nextBatchAt: event.data.nextBatchAt,
        pausedReason: null,
      };
    case 'messaging.BulkSendCanceled.v1':
      if (!('nextBatch' in state)) return state;
      return { ...state, status: 'canceled', nextBatchAt: null, pausedReason: null };
    case 'messaging.BulkSendCompleted.v1':
      if (state.status === 'none') return state;
      if (state.status === 'collecting') {
        return {
          ...basicsOf(state),
          status: 'completed',
          nextBatch: state.batches,
          nextBatchAt: null,
          resumeTo: 'running',
          pausedReason: null,
        };
      }
      return { ...state, status: 'completed', nextBatchAt: null };
    case 'messaging.BulkSendRequestRejected.v1':
      return state;
  }
}
