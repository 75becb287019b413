import { ListenNotifyHub, type WatchHubLogger } from '../grpc/listen-notify-hub.js';
import type { BulkSendQueries, BulkSendResource } from './bulk-send-read-model.js';
import { BULK_SEND_CHANGES_CHANNEL, type BulkSendChangeNotice } from './bulk-send.projection.js';

/** How often at most a bulk send's watchers are told of it (its counts move with each message). */
export const BULK_SEND_WATCH_INTERVAL_MS = 250;

/**
 * Committed changes of a bulk send to its tenant's watchers (gRPC WatchBulkSend): each one the
 * bulk send as GET /v1/bulk-sends/{id} shows it then, on the generic ListenNotifyHub. A change is
 * one of its bulk_sends row or of its messages (the message projection NOTIFYs once per batch per
 * bulk send); a running send's changes are coalesced to one read and push per interval.
 */
export class BulkSendWatchHub extends ListenNotifyHub<BulkSendChangeNotice, BulkSendResource> {
  constructor(
    databaseUrl: string,
    queries: Pick<BulkSendQueries, 'get'>,
    logger: WatchHubLogger,
    intervalMs = BULK_SEND_WATCH_INTERVAL_MS,
  ) {
    super(
      databaseUrl,
      {
        channel: BULK_SEND_CHANGES_CHANNEL,
        what: 'bulk send',
        changeOf: (notice) => queries.get(notice.tenantId, notice.bulkSendId),
        coalesce: { keyOf: (notice) => notice.bulkSendId, intervalMs },
      },
      logger,
    );
  }
}
