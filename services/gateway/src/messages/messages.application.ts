import {
  type ConsentStanding,
  complianceAdditions,
  evaluateCompliance,
  optOutReminderDue,
} from '@textplane/compliance';
import type { ComplianceReason, MessagePurpose, SendTimeWindow } from '@textplane/contracts';
import { MergeFieldRenderer } from '@textplane/merge-fields';
import type { EventMetadata, EventStore, GroupedTransactions } from '@textplane/event-store';
import { currentTraceparent } from '@textplane/observability';
import { countSegments, MAX_SEGMENTS, type SegmentCount } from '@textplane/segments';
import { v7 as uuidv7 } from 'uuid';
import type { MessagingApplication } from './messaging-application.js';
import { validateRequest } from '../http/request-validator.js';
import { E164_PATTERN } from '../http/schema-parts.js';
import type { IdempotencyScope, IdempotencyStore } from '../idempotency/idempotency-store.js';
import { requestHash, tenantScope } from '../idempotency/idempotency-store.js';
import type { Clock } from '@textplane/service-runtime';
import { ApiError, echoed } from '../problems/api-error.js';
import type { TenantDirectory } from '../tenants/tenant-directory.js';
import { type MessageReadModel, resourceOfJson } from './message-read-model.js';
import {
  type ContactLookup,
  NO_CONTACTS,
  type Recipient,
  recipientOf,
  renderedBody,
} from './message-recipient.js';
import type { TenantRecord } from '../tenants/tenant-directory.js';
import {
  type CustomValueLookup,
  NO_CUSTOM_VALUES,
  NO_TEMPLATES,
  requireOneContent,
  type TemplateContent,
  templateContentOf,
  type TemplateLookup,
} from './message-template.js';
import { evolveMessageRow, type MessageRowEvent } from './message-row.js';
import { pagePositionAfter } from '../http/page-cursor.js';
import type {
  AuthenticatedTenant,
  ConversationPage,
  MessageChangeOutcome,
  MessageListQuery,
  MessagePage,
  MessageResource,
  MessageStatus,
  MessageStatusChange,
  SendMessageInput,
} from './message.resource.js';
import type { MessageChangeNotice, MessageFilter } from './message-read-model.js';
import type { EntityManager } from 'typeorm';
import { scheduledSendAt } from './send-at.js';
import {
  cancelAnswer,
  isCancelable,
  isReschedulable,
  type MessageChangeAnswer,
  rescheduleAnswer,
} from './message-change-answers.js';
import { LOOK_ONCE, type MessageChangeConfirmations } from './message-change-confirmations.js';
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
const LISTED_STATUSES: readonly MessageStatus[] = [
  'queued',
  'scheduled',
  'sending',
  'sent',
  'delivered',
  'failed',
  'undelivered',
  'received',
  'blocked',
  'canceled',
];
/** The CRM's contact id, as contacts define it (issue 10 §2). */
const CONTACT_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/** How a cancel or reschedule waits for messaging's answer. */
export interface MessageChangeWait {
  confirmations: MessageChangeConfirmations;
  timeoutMs: number;
}

/** What a change request recorded, kept as its idempotent answer. */
interface AcceptedChange {
  messageId: string;
  requestedAt: string;
  sendAt?: string;
}

/** Where a send came in: its idempotency scope and key, and what its door adds to the request. */
export interface SendRoute {
  scope: IdempotencyScope;
  key: string | undefined;
  /** Request fields of the door (not in SendMessageInput) that make it another request. */
  hashed?: unknown;
  /**
   * The time window the door gives the message once the recipient is known (a workflow step's,
   * its zone resolved); messaging's time-window gate holds the message outside it.
   */
  timeWindowFor?: (recipient: {
    to: string;
    recipientTimeZone?: string;
    tenantTimeZone: string;
  }) => SendTimeWindow;
}

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
  /**
   * The tenant's periodic opt-out reminder (`/v1/settings`), when it is on and the text is not
   * marketing: `added` (the line is in `added` and counted), `not_due` (the contact was sent an
   * opt-out line recently enough), or, without `to`, `may_be_added`.
   */
  optOutReminder?: 'added' | 'not_due' | 'may_be_added';
}

export interface PreviewResult {
  /**
   * With a contact or a template: the body as rendered (before the compliance additions, see
   * `added`).
   */
  body?: string;
  /** The template the preview used, and its version. */
  templateId?: string;
  templateVersion?: number;
  encoding: SegmentCount['encoding'];
  segments: number;
  characters: number;
  compliance: CompliancePreview;
}

interface PreviewInput {
  body?: string;
  templateId?: string;
  templateVersion?: number;
  smartEncoding?: boolean;
  to?: string;
  contactId?: string;
  purpose?: MessagePurpose;
  at?: string;
  mediaUrls?: string[];
  recipientTimeZone?: string;
  sendAt?: string;
}

/** Refuses media URLs the platform must not fetch (see media-url-guard), naming each one. */
export function requireFetchableMedia(
  urls: readonly string[] | undefined,
  policy: MediaUrlPolicy,
): void {
  const refused = (urls ?? []).flatMap((url, index) => {
    const message = mediaUrlRefusal(url, policy);
    return message ? [{ field: `mediaUrls.${index}`, message }] : [];
  });
  if (refused.length > 0) throw ApiError.invalid('A media URL cannot be used', refused);
}

/**
 * A template's media go through the same guard as a request's (templates are not checked at
 * save): one the platform must not fetch makes the template unsendable as it is, a 422 naming it.
 */
export function requireFetchableTemplateMedia(
  template: TemplateContent | null,
  given: readonly string[] | undefined,
  policy: MediaUrlPolicy,
): void {
  if (template === null || given !== undefined) return;
  const refused = template.mediaUrls.flatMap((url, index) => {
    const message = mediaUrlRefusal(url, policy);
    return message ? [{ field: 'templateId', message: `its mediaUrls.${index} ${message}` }] : [];
  });
  if (refused.length > 0) {
    throw new ApiError(
      'unprocessable',
      'template_media_refused',
      `Template ${template.templateId} version ${template.templateVersion} has media that cannot be sent`,
      refused,
    );
  }
}

/** What a send for now needs of the wallet (BillingApplication): throws 402 when not covered. */
export interface SingleSendFunds {
  requireFundsFor(
    manager: EntityManager,
    tenantId: string,
    message: { to: string; from: string; channel: 'sms' | 'mms'; segments: number },
  ): Promise<void>;
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
    /** Cancel and reschedule wait this for messaging's answer (by default: none, 202 at once). */
    private readonly changes: MessageChangeWait = { confirmations: LOOK_ONCE, timeoutMs: 0 },
    /** The contacts a send may name (the contacts context's read model); by default none. */
    private readonly contacts: ContactLookup = NO_CONTACTS,
    private readonly renderer: MergeFieldRenderer = new MergeFieldRenderer(),
    /** The templates a send may name and the custom values it renders with; by default none. */
    content: { templates?: TemplateLookup; customValues?: CustomValueLookup } = {},
    /** The wallet check of a single send for now (billing/, issue 13): 402; by default none. */
    private readonly funds: SingleSendFunds | null = null,
  ) {
    this.templates = content.templates ?? NO_TEMPLATES;
    this.customValues = content.customValues ?? NO_CUSTOM_VALUES;
  }

  private readonly templates: TemplateLookup;
  private readonly customValues: CustomValueLookup;

  /**
   * The recipient, the template (when named) and the text it gets. A body to a contact, and a
   * template to anyone, is rendered as Liquid against the contact (a bare number: its phone
   * only), the tenant's custom values and the business (the clock's now for `date`); a body to a
   * bare number goes as written, `{{` and all.
   */
  private async contentFor(
    tenant: AuthenticatedTenant,
    profile: TenantRecord,
    input: {
      to?: string;
      contactId?: string;
      body?: string;
      templateId?: string;
      templateVersion?: number;
      recipientTimeZone?: string;
    },
  ): Promise<{
    recipient: Recipient | null;
    template: TemplateContent | null;
    body: string;
    rendered: boolean;
    recipientTimeZone?: string;
  }> {
    requireOneContent(input);
    const recipient = await recipientOf(this.contacts, tenant.tenantId, input);
    const template = await templateContentOf(this.templates, tenant.tenantId, input);
    const source = template?.body ?? input.body ?? '';
    // The caller's zone, else the contact's; messaging falls back to the area code, then the tenant.
    const recipientTimeZone = input.recipientTimeZone ?? recipient?.contact?.timeZone ?? undefined;
    const zone = recipientTimeZone === undefined ? {} : { recipientTimeZone };
    if (!recipient?.contact && template === null) {
      return { recipient, template, body: source, rendered: false, ...zone };
    }
    const text = renderedBody(source, {
      renderer: this.renderer,
      contact: recipient?.contact ?? null,
      ...(recipient ? { phone: recipient.to } : {}),
      customValues: await this.customValues.all(tenant.tenantId),
      businessName: profile.brandName,
      timeZone: recipientTimeZone ?? profile.timeZone,
      now: this.clock.now(),
    });
    return { recipient, template, body: text, rendered: true, ...zone };
  }

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
    return this.acceptSend(tenant, input, {
      scope: tenantScope(tenant.tenantId, 'POST /v1/messages'),
      key: idempotencyKey,
    });
  }

  /**
   * The send path every door shares (POST /v1/messages, the workflow action, gRPC): an input
   * already validated against its schema is checked (media, sender, length), rendered and recorded
   * as one SendRequested, idempotent under `route.scope`/`route.key`.
   */
  async acceptSend(
    tenant: AuthenticatedTenant,
    input: SendMessageInput,
    route: SendRoute,
  ): Promise<SendOutcome> {
    requireFetchableMedia(input.mediaUrls, this.mediaUrlPolicy);
    const sendAt = scheduledSendAt(input.sendAt, this.clock.now())?.toISOString();
    const profile = await this.tenants.find(tenant.tenantId);
    if (!profile) throw ApiError.unauthenticated('The tenant of this API key no longer exists');
    const { recipient, template, body, recipientTimeZone } = await this.contentFor(
      tenant,
      profile,
      input,
    );
    // Where a content refusal points: the body the client wrote, or the template it named.
    const contentField = template ? 'templateId' : 'body';
    requireFetchableTemplateMedia(template, input.mediaUrls, this.mediaUrlPolicy);
    if (recipient === null) {
      throw ApiError.invalid('The request body is not valid', [
        { field: 'to', message: 'is required (or contactId)' },
      ]);
    }
    const to = recipient.to;
    const timeWindow = route.timeWindowFor?.({
      to,
      ...(recipientTimeZone !== undefined ? { recipientTimeZone } : {}),
      tenantTimeZone: profile.timeZone,
    });
    // The send's own media, else its template's.
    const mediaUrls = input.mediaUrls ?? template?.mediaUrls ?? [];
    if (body.trim() === '' && mediaUrls.length === 0) {
      throw ApiError.invalid('A message needs a body or media', [
        { field: contentField, message: 'must not be empty when no mediaUrls are given' },
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
    // The send's purpose, else its template's (DESIGN.md "One shape for message content").
    const purpose = input.purpose ?? template?.purpose ?? 'conversational';
    const count = countSegments(body);
    // Messaging may add the brand (first message to a contact) and opt-out language
    // (marketing); the body must stay within the limit with both.
    const withAdditions = countSegments(
      complianceAdditions({
        body,
        brandName: profile.brandName,
        purpose,
        firstMessageToContact: true,
        // The periodic opt-out reminder (tenant settings) may add the line whatever the purpose.
        optOutReminderDue: profile.settings?.optOutReminder !== undefined,
      }).body,
    );
    if (withAdditions.segments > MAX_SEGMENTS) {
      const added = withAdditions.segments > count.segments ? ' with the compliance additions' : '';
      throw ApiError.invalid(
        `The body needs ${withAdditions.segments} segments${added}; at most ${MAX_SEGMENTS} are allowed`,
        [
          {
            field: contentField,
            message: `is ${withAdditions.segments} segments long${added} (${withAdditions.encoding}); the limit is ${MAX_SEGMENTS}`,
          },
        ],
      );
    }
    // The instant as given: a retry of a request whose time has since come is the same request.
    // The body as given, too: a contact's later change does not make a retry another request,
    // nor does a template's new version (a template's id and pinned version are the request's;
    // its purpose and media, taken from the template, are not).
    const hash = requestHash({
      to: input.to,
      contactId: input.contactId,
      from,
      body: input.body ?? '',
      mediaUrls: input.mediaUrls ?? [],
      purpose: template ? input.purpose : purpose,
      recipientTimeZone,
      sendAt: input.sendAt === undefined ? undefined : Date.parse(input.sendAt),
      templateId: template?.templateId,
      templateVersion: input.templateVersion,
      ...(route.hashed !== undefined ? { route: route.hashed } : {}),
    });

    const result = await this.idempotency.run(
      route.scope,
      route.key,
      hash,
      async (manager) => {
        // A single send for now (not scheduled, bulk or workflow) the wallet cannot cover is
        // refused at once; checked here so a retry of an accepted send replays its answer.
        if (this.funds && sendAt === undefined && route.scope.route === 'POST /v1/messages') {
          await this.funds.requireFundsFor(manager, tenant.tenantId, {
            to,
            from,
            channel: mediaUrls.length > 0 ? 'mms' : 'sms',
            segments: count.segments,
          });
        }
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
            to,
            from,
            body,
            mediaUrls,
            purpose,
            encoding: count.encoding,
            segments: count.segments,
            ...(recipientTimeZone !== undefined ? { recipientTimeZone } : {}),
            ...(sendAt !== undefined ? { sendAt } : {}),
            ...(input.contactId !== undefined ? { contactId: input.contactId } : {}),
            ...(template
              ? { templateId: template.templateId, templateVersion: template.templateVersion }
              : {}),
            ...(timeWindow !== undefined ? { timeWindow } : {}),
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
    const now = this.clock.now();
    const sendAt = scheduledSendAt(input.sendAt, now);
    const at = input.at === undefined ? (sendAt ?? now) : new Date(input.at);
    if (input.body === undefined && input.templateId === undefined) {
      throw ApiError.invalid('The request body is not valid', [
        { field: 'body', message: 'is required (or templateId)' },
      ]);
    }
    const { recipient, template, body, rendered, recipientTimeZone } = await this.contentFor(
      tenant,
      profile,
      input,
    );
    requireFetchableTemplateMedia(template, input.mediaUrls, this.mediaUrlPolicy);
    const purpose = input.purpose ?? template?.purpose ?? 'conversational';
    const mediaUrls = input.mediaUrls ?? template?.mediaUrls ?? [];
    const channel = mediaUrls.length > 0 ? 'mms' : 'sms';
    const to = recipient?.to;
    const [firstMessageToContact, standing] = to
      ? await Promise.all([
          this.readModel.hasOutboundTo(tenant.tenantId, to).then((sent) => !sent),
          this.consents.standing(tenant.tenantId, to),
        ])
      : [false, null];
    const optOutReminder = await this.optOutReminderIn(profile, purpose, to, now);
    const additions = complianceAdditions({
      body,
      brandName: profile.brandName,
      purpose,
      firstMessageToContact,
      optOutReminderDue: optOutReminder === 'added',
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
      contactTimeZone: recipientTimeZone,
    });
    const count = countSegments(additions.body, { smartEncoding: input.smartEncoding ?? false });
    return {
      ...(rendered ? { body } : {}),
      ...(template
        ? { templateId: template.templateId, templateVersion: template.templateVersion }
        : {}),
      encoding: count.encoding,
      segments: count.segments,
      characters: count.characters,
      compliance: {
        verdict: verdict.verdict,
        reasons: [...verdict.reasons],
        ...(verdict.verdict === 'hold' ? { sendAt: verdict.sendAt.toISOString() } : {}),
        ...(additions.added !== null ? { added: additions.added } : {}),
        ...(verdict.verdict === 'block' ? { detail: verdict.detail } : {}),
        ...(optOutReminder !== null ? { optOutReminder } : {}),
        flags: verdict.flags,
      },
    };
  }

  /**
   * What the tenant's periodic opt-out reminder does to this text, as messaging decides it at
   * queue time (now): null when it is off or the text is marketing (which always has the line).
   */
  private async optOutReminderIn(
    profile: TenantRecord,
    purpose: MessagePurpose,
    to: string | undefined,
    now: Date,
  ): Promise<CompliancePreview['optOutReminder'] | null> {
    const everyDays = profile.settings?.optOutReminder?.everyDays ?? null;
    if (everyDays === null || purpose === 'marketing') return null;
    if (to === undefined) return 'may_be_added';
    const since = new Date(now.getTime() - everyDays * 24 * 60 * 60 * 1000);
    const lastOptOutLineAt = await this.readModel.lastOptOutLineSince(profile.id, to, since);
    return optOutReminderDue({ purpose, everyDays, lastOptOutLineAt, now }) ? 'added' : 'not_due';
  }

  async get(tenant: AuthenticatedTenant, id: string): Promise<MessageResource> {
    const message = UUID.test(id)
      ? await this.readModel.get(tenant.tenantId, id.toLowerCase())
      : null;
    if (!message) throw ApiError.notFound(`Message ${echoed(id)} not found`);
    return message;
  }

  /** The tenant's messages, newest first, filtered; every bad filter is a 400 naming it. */
  async list(tenant: AuthenticatedTenant, query: MessageListQuery): Promise<MessagePage> {
    const filter: MessageFilter = {};
    if (query.status !== undefined) {
      const status = LISTED_STATUSES.find((s) => s === query.status);
      if (status === undefined) {
        throw ApiError.invalid(`Unknown message status ${echoed(query.status)}`, [
          { field: 'status', message: `must be one of ${LISTED_STATUSES.join(', ')}` },
        ]);
      }
      filter.status = status;
    }
    if (query.contactId !== undefined) {
      if (!CONTACT_ID.test(query.contactId)) {
        throw ApiError.invalid('The contact id is not valid', [
          { field: 'contactId', message: 'must match ^[A-Za-z0-9_.:-]{1,128}$' },
        ]);
      }
      filter.contactId = query.contactId;
    }
    for (const field of ['to', 'from'] as const) {
      const phone = query[field];
      if (phone === undefined) continue;
      if (!E164.test(phone)) {
        throw ApiError.invalid('The phone number is not valid', [
          { field, message: 'must be an E.164 phone number such as +15555550123' },
        ]);
      }
      filter[field] = phone;
    }
    if (query.createdAfter !== undefined) {
      const at = instantOfRfc3339(query.createdAfter);
      if (at === null) {
        throw ApiError.invalid('createdAfter is not an instant', [
          { field: 'createdAfter', message: 'must be an instant with its offset (RFC 3339)' },
        ]);
      }
      filter.createdAfter = new Date(at).toISOString();
    }
    requirePageSize(query.limit);
    const after = pagePositionAfter(query.cursor);
    return this.readModel.list(tenant.tenantId, filter, { after, limit: query.limit });
  }

  /**
   * Cancels a `queued` or `scheduled` message: the request is recorded for messaging, which
   * decides it on the message's stream, and the answer waits (bounded) for its decision. A
   * message the gateway already sees past those statuses is refused at once, recording nothing.
   */
  async cancel(
    tenant: AuthenticatedTenant,
    id: string,
    key: string | undefined,
  ): Promise<MessageChangeOutcome> {
    const messageId = await this.requireOwnMessageId(tenant, id);
    const result = await this.idempotency.run(
      tenantScope(tenant.tenantId, 'POST /v1/messages/{id}/cancel'),
      key,
      requestHash({ op: 'cancel', messageId }),
      async (manager) => {
        const message = await this.get(tenant, messageId);
        if (!isCancelable(message)) throw notCancelable(message.id, message.status);
        const requestedAt = this.clock.now().toISOString();
        await this.appendChangeRequest(tenant, messageId, manager, {
          type: 'gateway.MessageCancelRequested.v1',
          data: { messageId, tenantId: tenant.tenantId, requestedAt },
        });
        const accepted: AcceptedChange = { messageId, requestedAt };
        return { statusCode: 202, body: accepted };
      },
    );
    const { requestedAt } = result.body as AcceptedChange;
    const answer = await this.awaitAnswer(tenant, messageId, (message, heard) =>
      cancelAnswer(message, heard, requestedAt),
    );
    if (answer?.outcome === 'refused') throw notCancelable(messageId, answer.status);
    return this.changeOutcome(tenant, messageId, answer, result.replayed);
  }

  /** Moves a message the client scheduled, while it is still scheduled, to a new `sendAt`. */
  async reschedule(
    tenant: AuthenticatedTenant,
    id: string,
    rawInput: unknown,
    key: string | undefined,
  ): Promise<MessageChangeOutcome> {
    const messageId = await this.requireOwnMessageId(tenant, id);
    const input = validateRequest<{ sendAt: string }>('RescheduleMessageRequest', rawInput);
    const now = this.clock.now();
    const sendAt = (scheduledSendAt(input.sendAt, now) ?? now).toISOString();
    const result = await this.idempotency.run(
      tenantScope(tenant.tenantId, 'PATCH /v1/messages/{id}'),
      key,
      requestHash({ op: 'reschedule', messageId, sendAt: Date.parse(input.sendAt) }),
      async (manager) => {
        const message = await this.get(tenant, messageId);
        if (!isReschedulable(message, this.clock.now())) throw notReschedulable(message);
        const requestedAt = this.clock.now().toISOString();
        await this.appendChangeRequest(tenant, messageId, manager, {
          type: 'gateway.MessageRescheduleRequested.v1',
          data: { messageId, tenantId: tenant.tenantId, sendAt, requestedAt },
        });
        const accepted: AcceptedChange = { messageId, requestedAt, sendAt };
        return { statusCode: 202, body: accepted };
      },
    );
    const accepted = result.body as AcceptedChange;
    const answer = await this.awaitAnswer(tenant, messageId, (message, heard) =>
      rescheduleAnswer(message, heard, accepted.requestedAt, accepted.sendAt ?? sendAt),
    );
    if (answer?.outcome === 'refused') {
      throw notReschedulable({ id: messageId, status: answer.status, reason: answer.reason });
    }
    return this.changeOutcome(tenant, messageId, answer, result.replayed);
  }

  private async requireOwnMessageId(tenant: AuthenticatedTenant, id: string): Promise<string> {
    return (await this.get(tenant, id)).id;
  }

  private async appendChangeRequest(
    tenant: AuthenticatedTenant,
    messageId: string,
    manager: EntityManager,
    event:
      | {
          type: 'gateway.MessageCancelRequested.v1';
          data: { messageId: string; tenantId: string; requestedAt: string };
        }
      | {
          type: 'gateway.MessageRescheduleRequested.v1';
          data: { messageId: string; tenantId: string; sendAt: string; requestedAt: string };
        },
  ): Promise<void> {
    // On the send's own stream, so it follows the send on its partition.
    await this.store.append(
      `send-request-${messageId}`,
      SEND_REQUEST_STREAM_TYPE,
      'any',
      [
        {
          ...event,
          metadata: { tenantId: tenant.tenantId, correlationId: messageId, ...traceMetadata() },
        },
      ],
      manager,
    );
  }

  private awaitAnswer(
    tenant: AuthenticatedTenant,
    messageId: string,
    decide: (
      message: MessageResource | null,
      heard: readonly MessageChangeNotice[],
    ) => MessageChangeAnswer | null,
  ): Promise<MessageChangeAnswer | null> {
    return this.changes.confirmations.waitFor(
      messageId,
      async (heard) => decide(await this.readModel.get(tenant.tenantId, messageId), heard),
      this.changes.timeoutMs,
    );
  }

  private async changeOutcome(
    tenant: AuthenticatedTenant,
    messageId: string,
    answer: MessageChangeAnswer | null,
    replayed: boolean,
  ): Promise<MessageChangeOutcome> {
    if (answer?.outcome === 'applied') return { status: 'done', message: answer.message, replayed };
    return { status: 'pending', message: await this.get(tenant, messageId), replayed };
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
    requirePageSize(page.limit);
    const after = pagePositionAfter(page.cursor);
    return this.readModel.conversation(tenant.tenantId, phone, { after, limit: page.limit });
  }

  watch(tenant: AuthenticatedTenant, listener: (change: MessageStatusChange) => void): () => void {
    return this.watchHub.watch(tenant.tenantId, listener);
  }
}

/** An instant as RFC 3339 writes it, with its offset (a query string has no schema). */
const RFC3339_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/i;

/** The instant in milliseconds, or null when the text is not an RFC 3339 date-time of a real day. */
function instantOfRfc3339(text: string): number | null {
  const match = RFC3339_INSTANT.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute, second, offsetHour, offsetMinute] = match
    .slice(1)
    .map((part) => (part === undefined ? 0 : Number(part)));
  const date = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1));
  // Date rolls 2026-02-30 over into March: only a day that prints back is a real one.
  const realDay = date.getUTCMonth() === (month ?? 1) - 1 && date.getUTCDate() === day;
  const inRange =
    (hour ?? 0) < 24 && (minute ?? 0) < 60 && (second ?? 0) < 60 && (offsetHour ?? 0) < 24;
  if (!realDay || !inRange || (offsetMinute ?? 0) >= 60) return null;
  const at = Date.parse(text);
  return Number.isFinite(at) ? at : null;
}

function requirePageSize(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw ApiError.invalid('The page size is not valid', [
      { field: 'limit', message: `must be an integer from 1 to ${MAX_PAGE_SIZE}` },
    ]);
  }
}

function notCancelable(id: string, status: string): ApiError {
  return new ApiError(
    'conflict',
    'message_not_cancelable',
    `Message ${id} is ${status}: only a scheduled or queued message can be canceled`,
  );
}

function notReschedulable(message: {
  id: string;
  status: string;
  reason?: string | null;
}): ApiError {
  const why =
    message.status === 'scheduled' && message.reason === 'quiet_hours_held'
      ? 'held for quiet hours, not by its sendAt'
      : message.status === 'scheduled'
        ? 'due now: its sendAt has come'
        : message.status;
  return new ApiError(
    'conflict',
    'message_not_reschedulable',
    `Message ${message.id} is ${why}: only a message still scheduled for your sendAt can be rescheduled`,
  );
}

function traceMetadata(): { traceparent?: string } {
  const traceparent = currentTraceparent();
  return traceparent ? { traceparent } : {};
}
