import { ListenNotifyHub, type WatchHubLogger } from '../grpc/listen-notify-hub.js';
import { type MessageReadModel, resourceOfJson } from './message-read-model.js';
import { MESSAGE_CHANGES_CHANNEL, type MessageChangeNotice } from './message.projection.js';
import type { MessageStatusChange } from './message.resource.js';

export type { WatchHubLogger } from '../grpc/listen-notify-hub.js';

/**
 * Fans committed message changes out to the watchers of each tenant (gRPC WatchMessages), on the
 * generic ListenNotifyHub. A refusal of a client's change is no status change; small rows travel
 * in the notice itself, only large ones are read back.
 */
export class MessageWatchHub extends ListenNotifyHub<MessageChangeNotice, MessageStatusChange> {
  constructor(databaseUrl: string, readModel: MessageReadModel, logger: WatchHubLogger) {
    super(
      databaseUrl,
      {
        channel: MESSAGE_CHANGES_CHANNEL,
        what: 'message',
        changeOf: (notice) => {
          if (notice.refusal !== undefined) return null;
          const message = notice.message
            ? Promise.resolve(resourceOfJson(notice.message))
            : readModel.get(notice.tenantId, notice.messageId);
          return message.then((found) =>
            found
              ? { message: found, eventType: notice.eventType, occurredAt: notice.occurredAt }
              : null,
          );
        },
      },
      logger,
    );
  }
}
