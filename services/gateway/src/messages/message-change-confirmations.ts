import {
  type ConfirmationLogger,
  ListeningConfirmations,
} from '../confirmations/listening-confirmations.js';
import { MESSAGE_CHANGES_CHANNEL, type MessageChangeNotice } from './message-read-model.js';

/** Waits for messaging's answer to a client's change of a message (cancel, reschedule). */
export interface MessageChangeConfirmations {
  waitFor<T>(
    messageId: string,
    look: (heard: readonly MessageChangeNotice[]) => Promise<T | null>,
    timeoutMs: number,
  ): Promise<T | null>;
}

/** Without a listener: the answer is what the read model shows at once, else none. */
export const LOOK_ONCE: MessageChangeConfirmations = {
  waitFor: (_messageId, look) => look([]),
};

/**
 * Messaging decides a cancel or reschedule on the message's stream; its answer comes back
 * through the message projection, whose notices (on the channel WatchMessages listens to) name
 * the message. A refusal changes no row, so its notice is how the request hears of it.
 */
export class ListeningMessageChangeConfirmations implements MessageChangeConfirmations {
  private readonly listening: ListeningConfirmations;

  constructor(databaseUrl: string, logger: ConfirmationLogger) {
    this.listening = new ListeningConfirmations(
      databaseUrl,
      [
        {
          name: MESSAGE_CHANGES_CHANNEL,
          keyOf: (payload) => (payload as MessageChangeNotice).messageId,
        },
      ],
      logger,
    );
  }

  start(): Promise<void> {
    return this.listening.start();
  }

  stop(): Promise<void> {
    return this.listening.stop();
  }

  waitFor<T>(
    messageId: string,
    look: (heard: readonly MessageChangeNotice[]) => Promise<T | null>,
    timeoutMs: number,
  ): Promise<T | null> {
    return this.listening.waitFor(
      messageId,
      (heard) => look(heard as readonly MessageChangeNotice[]),
      timeoutMs,
    );
  }
}
