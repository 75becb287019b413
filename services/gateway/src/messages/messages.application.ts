import {
  type ConsentStanding,
  complianceAdditions,
  evaluateCompliance,
} from '@textplane/compliance';
import type { ComplianceReason, MessagePurpose } from '@textplane/contracts';
import type { EventMetadata, EventStore, GroupedTransactions } from '@textplane/event-store';
import { currentTraceparent } from '@textplane/observability';
import { countSegments, MAX_SEGMENTS, type SegmentCount } from '@textplane/segments';
import { v7 as uuidv7 } from 'uuid';
import type { MessagingApplication } from './messaging-application.js';
import { validateRequest } from '../http/request-validator.js';
import { E164_PATTERN } from '../http/schema-parts.js';
import type { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { requestHash, tenantScope } from '../idempotency/idempotency-store.js';
import type { Clock } from '@textplane/service-runtime';
import { ApiError, echoed } from '../problems/api-error.js';
import type { TenantDirectory } from '../tenants/tenant-directory.js';
import { type MessageReadModel, resourceOfJson } from './message-read-model.js';
import { evolveMessageRow, type MessageRowEvent } from './message-row.js';
import { pagePositionAfter } from '../http/page-cursor.js';
import type {
  AuthenticatedTenant,
  ConversationPage,
  MessageResource,
  MessageStatusChange,
  SendMessageInput,
} from './message.resource.js';
import type { MessageWatchHub } from './message-watch-hub.js';
import {
  DEFAULT_MEDIA_URL_POLICY,
  mediaUrlRefusal,
  type MediaUrlPolicy,
} from './media-url-guard.js';

export const SEND_REQUEST_STREAM_TYPE = 'send-request';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const E164 = new RegExp(E164_PATTERN);
const MAX_PAGE_SIZE = 100;

export interface SendOutcome {
  message: MessageResource;
  replayed: boolean;
}

export interface CompliancePreview {
  verdict: 'send' | 'hold' | 'block';
  reasons: ComplianceReason[];
  /** When a held message would go out. */
  sendAt?: string;
  /** Text compliance would add to the body (business name, opt-out language). */
  added?: string;
  /** Why a message would be blocked, in words. */
  detail?: string;
  /** Findings that do not block under the tenant's policy (restricted content when flagging). */
  flags: string[];
}

export interface PreviewResult {
  encoding: SegmentCount['encoding'];
  segments: number;
  characters: number;
  compliance: CompliancePreview;
}

interface PreviewInput {
  body: string;
  smartEncoding?: boolean;
  to?: string;
  purpose?: MessagePurpose;
  at?: string;
  mediaUrls?: string[];
  recipientTimeZone?: string;
}

/** Refuses media URLs the platform must not fetch (see media-url-guard), naming each one. */
function requireFetchableMedia(urls: readonly string[] | undefined, policy: MediaUrlPolicy): void {
  const refused = (urls ?? []).flatMap((url, index) => {
    const message = mediaUrlRefusal(url, policy);
    return message ? [{ field: `mediaUrls.${index}`, message }] : [];
  });
  if (refused.length > 0) throw ApiError.invalid('A media URL cannot be used', refused);
}

/** The consent standing of a number, as the consent read model knows it. */
export interface ConsentStandingReader {
  standing(tenantId: string, phone: string): Promise<ConsentStanding>;
}

/**
 * The gateway's message use cases, shared by REST and gRPC. A send is recorded as a
 * SendRequested event (messaging takes it from there) and shown at once through the read model:
 * the request is projected into it (the same evolve as the projection's) in the same transaction.
 */
export class MessagesApplication implements MessagingApplication {
  constructor(
    private readonly store: EventStore,
    private readonly readModel: MessageReadModel,
    private readonly tenants: TenantDirectory,
    private readonly idempotency: IdempotencyStore,
    private readonly watchHub: MessageWatchHub,
    private readonly clock: Clock,
    private readonly consents: ConsentStandingReader,
    /** Send requests accepted together commit together (group commit). */
    private readonly transactions: GroupedTransactions,
    private readonly mediaUrlPolicy: MediaUrlPolicy = DEFAULT_MEDIA_URL_POLICY,
  ) {}

  authenticate(apiKey: string): Promise<AuthenticatedTenant | null> {
    return this.tenants.authenticate(apiKey);
  }

  async send(
    tenant: AuthenticatedTenant,
    input: SendMessageInput,
    idempotencyKey: string | undefined,
  ): Promise<MessageResource> {
    return (await this.sendWithOutcome(tenant, input, idempotencyKey)).message;
  }

  async sendWithOutcome(
    tenant: AuthenticatedTenant,
    rawInput: unknown,
    idempotencyKey: string | undefined,
  ): Promise<SendOutcome> {
    const input = validateRequest<SendMessageInput>('SendMessageRequest', rawInput);
    requireFetchableMedia(input.mediaUrls, this.mediaUrlPolicy);
    const profile = await this.tenants.find(tenant.tenantId);
    if (!profile) throw ApiError.unauthenticated('The tenant of this API key no longer exists');
    const body = input.body ?? '';
    const mediaUrls = input.mediaUrls ?? [];
    if (body.trim() === '' && mediaUrls.length === 0) {
      throw ApiError.invalid('A message needs a body or media', [
        { field: 'body', message: 'must not be empty when no mediaUrls are given' },
      ]);
    }
    const from = input.from ?? profile.defaultSender;
    if (!profile.senderNumbers.includes(from)) {
      throw new ApiError(
        'unprocessable',
        'sender_not_owned',
        `${from} is not one of your sender numbers`,
        [{ field: 'from', message: 'is not a sender number of this tenant' }],
      );
    }
    const purpose = input.purpose ?? 'conversational';
    const count = countSegments(body);
    // Messaging may add the brand (first message to a contact) and opt-out language
    // (marketing); the body must stay within the limit with both.
    const withAdditions = countSegments(
      complianceAdditions({
        body,
        brandName: profile.brandName,
        purpose,
        firstMessageToContact: true,
      }).body,
    );
    if (withAdditions.segments > MAX_SEGMENTS) {
      const added = withAdditions.segments > count.segments ? ' with the compliance additions' : '';
      throw ApiError.invalid(
        `The body needs ${withAdditions.segments} segments${added}; at most ${MAX_SEGMENTS} are allowed`,
        [
          {
            field: 'body',
            message: `is ${withAdditions.segments} segments long${added} (${withAdditions.encoding}); the limit is ${MAX_SEGMENTS}`,
          },
        ],
      );
    }
    const recipientTimeZone = input.recipientTimeZone;
    const hash = requestHash({ to: input.to, from, body, mediaUrls, purpose, recipientTimeZone });

    const result = await this.idempotency.run(
      tenantScope(tenant.tenantId, 'POST /v1/messages'),
      idempotencyKey,
      hash,
      async (manager) => {
        const messageId = uuidv7();
        const requestedAt = this.clock.now().toISOString();
        const metadata: EventMetadata = {
          tenantId: tenant.tenantId,
          correlationId: messageId,
          ...traceMetadata(),
        };
        const sendRequested = {
          type: 'gateway.SendRequested.v1',
          data: {
            messageId,
            tenantId: tenant.tenantId,
            to: input.to,
            from,
            body,
            mediaUrls,
            purpose,
            encoding: count.encoding,
            segments: count.segments,
            ...(recipientTimeZone !== undefined ? { recipientTimeZone } : {}),
            requestedAt,
          },
        } as const satisfies MessageRowEvent;
        // Appended with the other requests of the group, in one statement, at the commit.
        this.store.appendOnCommit(
          `send-request-${messageId}`,
          SEND_REQUEST_STREAM_TYPE,
          0,
          [{ ...sendRequested, metadata }],
          manager,
        );
        // Read-your-writes: the read model's own projection of the request, in its transaction.
        const row = evolveMessageRow(null, sendRequested);
        if (row === null) throw new Error(`SendRequested ${messageId} made no message row`);
        await this.readModel.save(manager, [row]);
        const message = resourceOfJson({ ...row });
        return { statusCode: 202, body: message };
      },
      (unit) => this.transactions.run(unit),
    );
    return { message: result.body as MessageResource, replayed: result.replayed };
  }

  /**
   * Counts a body as it would be sent, compliance additions included, and gives the verdict the
   * last check before the carrier would reach at `at` (default now). With `to`, consent, DND
   * and the recipient's quiet hours count, and the business name is added to a first message.
   * Without it the recipient is unknown: consent is not judged, quiet hours are those of
   * `recipientTimeZone` or else the tenant's zone (federal window), and the message is taken as
   * not the first to the contact.
   */
  async preview(tenant: AuthenticatedTenant, rawInput: unknown): Promise<PreviewResult> {
    const input = validateRequest<PreviewInput>('PreviewMessageRequest', rawInput);
    requireFetchableMedia(input.mediaUrls, this.mediaUrlPolicy);
    const profile = await this.tenants.find(tenant.tenantId);
    if (!profile) throw ApiError.unauthenticated('The tenant of this API key no longer exists');
    const purpose = input.purpose ?? 'conversational';
    const channel = (input.mediaUrls?.length ?? 0) > 0 ? 'mms' : 'sms';
    const at = input.at === undefined ? this.clock.now() : new Date(input.at);
    const to = input.to;
    const [firstMessageToContact, standing] = to
      ? await Promise.all([
          this.readModel.hasOutboundTo(tenant.tenantId, to).then((sent) => !sent),
          this.consents.standing(tenant.tenantId, to),
        ])
      : [false, null];
    const additions = complianceAdditions({
      body: input.body,
      brandName: profile.brandName,
      purpose,
      firstMessageToContact,
    });
    const verdict = evaluateCompliance({
      body: additions.body,
      purpose,
      channel,
      to: to ?? null,
      at,
      standing,
      tenant: {
        timeZone: profile.timeZone,
        restrictedContent: profile.compliance.restrictedContent ?? 'block',
      },
      contactTimeZone: input.recipientTimeZone,
    });
    const count = countSegments(additions.body, { smartEncoding: input.smartEncoding ?? false });
    return {
      encoding: count.encoding,
      segments: count.segments,
      characters: count.characters,
      compliance: {
        verdict: verdict.verdict,
        reasons: [...verdict.reasons],
        ...(verdict.verdict === 'hold' ? { sendAt: verdict.sendAt.toISOString() } : {}),
        ...(additions.added !== null ? { added: additions.added } : {}),
        ...(verdict.verdict === 'block' ? { detail: verdict.detail } : {}),
        flags: verdict.flags,
      },
    };
  }

  async get(tenant: AuthenticatedTenant, id: string): Promise<MessageResource> {
    const message = UUID.test(id)
      ? await this.readModel.get(tenant.tenantId, id.toLowerCase())
      : null;
    if (!message) throw ApiError.notFound(`Message ${echoed(id)} not found`);
    return message;
  }

  async listConversation(
    tenant: AuthenticatedTenant,
    phone: string,
    page: { cursor?: string; limit: number },
  ): Promise<ConversationPage> {
    if (!E164.test(phone)) {
      throw ApiError.invalid('The phone number is not valid', [
        { field: 'phone', message: 'must be an E.164 phone number such as +15555550123' },
      ]);
    }
    if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > MAX_PAGE_SIZE) {
      throw ApiError.invalid('The page size is not valid', [
        { field: 'limit', message: `must be an integer from 1 to ${MAX_PAGE_SIZE}` },
      ]);
    }
    const after = pagePositionAfter(page.cursor);
    return this.readModel.conversation(tenant.tenantId, phone, { after, limit: page.limit });
  }

  watch(tenant: AuthenticatedTenant, listener: (change: MessageStatusChange) => void): () => void {
    return this.watchHub.watch(tenant.tenantId, listener);
  }
}

function traceMetadata(): { traceparent?: string } {
  const traceparent = currentTraceparent();
  return traceparent ? { traceparent } : {};
}
