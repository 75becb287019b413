import { eventTypeGuard, type WireEventOf } from '@textplane/contracts';

const bulkSendEventTypes = [
  'messaging.BulkSendCreated.v1',
  'messaging.BulkSendRecipientsFrozen.v1',
  'messaging.BulkSendBatchReleased.v1',
  'messaging.BulkSendPaused.v1',
  'messaging.BulkSendResumed.v1',
  'messaging.BulkSendCanceled.v1',
  'messaging.BulkSendCompleted.v1',
  'messaging.BulkSendRequestRejected.v1',
] as const;

export type BulkSendEventType = (typeof bulkSendEventTypes)[number];

/** The facts of one bulk send's run, in its stream `bulk-send-<bulkSendId>` (topic messaging.bulk-sends). */
export type BulkSendEvent = WireEventOf<BulkSendEventType>;

export const isBulkSendEventType = eventTypeGuard(bulkSendEventTypes);

export function bulkSendStreamId(bulkSendId: string): string {
  return `bulk-send-${bulkSendId}`;
}

export const BULK_SEND_STREAM_TYPE = 'bulk-send';
