import type {
  AuthenticatedTenant,
  ConversationPage,
  MessageChangeOutcome,
  MessageListQuery,
  MessagePage,
  MessageResource,
  MessageStatusChange,
  SendMessageInput,
} from './message.resource.js';

/**
 * What the gRPC interface needs from the gateway's application layer. The same use cases back
 * REST, so validation and business errors (thrown as `ApiError`) come from here, and the gRPC
 * layer only maps transport concerns.
 */
export interface MessagingApplication {
  /** The tenant owning the API key, or null when the key is unknown or revoked. */
  authenticate(apiKey: string): Promise<AuthenticatedTenant | null>;

  /** Validates and accepts a send; a repeated idempotency key returns the first result. */
  send(
    tenant: AuthenticatedTenant,
    input: SendMessageInput,
    idempotencyKey: string | undefined,
  ): Promise<MessageResource>;

  /** Throws `ApiError` of kind `not_found` when the tenant has no such message. */
  get(tenant: AuthenticatedTenant, id: string): Promise<MessageResource>;

  /** One page of the tenant's messages, newest first, filtered. */
  list(tenant: AuthenticatedTenant, query: MessageListQuery): Promise<MessagePage>;

  /** Cancels a queued or scheduled message; `conflict` once it is sending or later. */
  cancel(
    tenant: AuthenticatedTenant,
    id: string,
    idempotencyKey: string | undefined,
  ): Promise<MessageChangeOutcome>;

  /** Moves a message the client scheduled to `{sendAt}` while it is still scheduled. */
  reschedule(
    tenant: AuthenticatedTenant,
    id: string,
    input: unknown,
    idempotencyKey: string | undefined,
  ): Promise<MessageChangeOutcome>;

  /** One page of the conversation with `phone`, newest first. */
  listConversation(
    tenant: AuthenticatedTenant,
    phone: string,
    page: { cursor?: string; limit: number },
  ): Promise<ConversationPage>;

  /**
   * Calls `listener` for every status change of the tenant's messages from now on. Returns the
   * function that stops the calls.
   */
  watch(tenant: AuthenticatedTenant, listener: (change: MessageStatusChange) => void): () => void;
}
