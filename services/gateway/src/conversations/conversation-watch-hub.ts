import { ListenNotifyHub, type WatchHubLogger } from '../grpc/listen-notify-hub.js';
import {
  CONVERSATION_CHANGES_CHANNEL,
  type ConversationChangeNotice,
  type ConversationReadModel,
} from './conversation-read-model.js';
import type { ConversationChange } from './conversation.resource.js';

export type ConversationWatchHubLogger = WatchHubLogger;

/**
 * Fans committed conversation changes out to the watchers of each tenant (gRPC
 * WatchConversations), on the generic ListenNotifyHub; a conversation is read only for a tenant
 * someone watches.
 */
export class ConversationWatchHub extends ListenNotifyHub<
  ConversationChangeNotice,
  ConversationChange
> {
  constructor(databaseUrl: string, readModel: ConversationReadModel, logger: WatchHubLogger) {
    super(
      databaseUrl,
      {
        channel: CONVERSATION_CHANGES_CHANNEL,
        what: 'conversation',
        changeOf: (notice) =>
          readModel
            .get(notice.tenantId, notice.phone)
            .then((conversation) =>
              conversation
                ? { conversation, eventType: notice.eventType, occurredAt: notice.occurredAt }
                : null,
            ),
      },
      logger,
    );
  }
}
