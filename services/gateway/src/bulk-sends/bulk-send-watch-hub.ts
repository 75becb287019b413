import { ListenNotifyHub, type WatchHubLogger } from '../grpc/listen-notify-hub.js';
import type { BulkSendQueries, BulkSendResource } from './bulk-send-read-model.js';
import { BULK_SEND_CHANGES_CHANNEL, type BulkSendChangeNotice } from './bulk-send.projection.js';

/**
 * Committed changes of bulk_sends to their tenant's watchers (gRPC WatchBulkSend): each one the
 * bulk send as GET /v1/bulk-sends/{id} shows it then, on the generic ListenNotifyHub.
 */
export class BulkSendWatchHub extends ListenNotifyHub<BulkSendChangeNotice, BulkSendResource> {
  constructor(databaseUrl: string, queries: Pick<BulkSendQueries, 'get'>, logger: WatchHubLogger) {
    super(
      databaseUrl,
      {
        channel: BULK_SEND_CHANGES_CHANNEL,
        what: 'bulk send',
        changeOf: (notice) => queries.get(notice.tenantId, notice.bulkSendId),
      },
      logger,
    );
  }
}
