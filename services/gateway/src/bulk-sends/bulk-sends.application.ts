import type { CostEstimate, EstimatedText } from '../billing/billing.application.js';
import {
  type ComplianceVerdict,
  type ConsentStanding,
  complianceAdditions,
  evaluateCompliance,
  recipientLocale,
} from '@textplane/compliance';
import type { MessagePurpose } from '@textplane/contracts';
import {
  chooseSender,
  type Delivery,
  dripBatches,
  dripPreview,
  localTimeInstant,
  parseDelivery,
  resolveZone,
} from '@textplane/delivery-schedule';
import { MergeFieldRenderer } from '@textplane/merge-fields';
import type { Clock } from '@textplane/service-runtime';
import { countSegments } from '@textplane/segments';
import type { ContactResource } from '../contacts/contact.resource.js';
import { validateRequest } from '../http/request-validator.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { renderedBody } from '../messages/message-recipient.js';
import {
  type CustomValueLookup,
  requireOneContent,
  type TemplateContent,
  templateContentOf,
  type TemplateLookup,
} from '../messages/message-template.js';
import {
  requireFetchableMedia,
  requireFetchableTemplateMedia,
} from '../messages/messages.application.js';
import { DEFAULT_MEDIA_URL_POLICY, type MediaUrlPolicy } from '../messages/media-url-guard.js';
import { ApiError, echoed } from '../problems/api-error.js';
import type { TenantDirectory, TenantRecord } from '../tenants/tenant-directory.js';
import type { BulkRecipientQueries } from './bulk-recipient-read-model.js';
import { pacedEta, ReleaseGroups } from './bulk-send-eta.js';
import {
  freezeRecipients,
  type FrozenRecipients,
  releaseBatchSize,
  wireDelivery,
} from './bulk-send-record.js';
import {
  matchesTags,
  orderRecipients,
  type RecipientCounts,
  type RecipientOutcome,
  type TagFilter,
  tally,
  unknownContactIds,
} from './bulk-recipients.js';

/** The preview request, as its schema has validated it. */
export interface PreviewBulkSendInput {
  recipients: { contactIds?: string[]; tags?: TagFilter; all?: true };
  message: {
    body?: string;
    templateId?: string;
    templateVersion?: number;
    mediaUrls?: string[];
    purpose?: MessagePurpose;
    from?: string;
  };
  delivery: unknown;
}

/** A bulk-send request checked, with its recipients selected (preview and create share it). */
export interface PreparedBulkSend {
  message: PreviewBulkSendInput['message'];
  profile: TenantRecord;
  now: Date;
  delivery: Delivery;
  template: TemplateContent | null;
  /** The selected contacts in recipient order, duplicates included. */
  contacts: ContactResource[];
}

/** Recipients judged between two turns of the event loop (other requests are served between). */
const JUDGED_BETWEEN_YIELDS = 1000;

function yieldToOtherWork(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Unknown contact ids listed in a refusal, at most. */
const LISTED_UNKNOWN_IDS = 100;

export type DeliveryPreview =
  | { mode: 'now'; at: string }
  | { mode: 'schedule'; at: string }
  | {
      mode: 'schedule';
      localTime: string;
      timeZone: string;
      firstAt: string | null;
      lastAt: string | null;
    }
  | {
      mode: 'drip';
      startAt: string;
      batchSize: number;
      every: { value: number; unit: string };
      days: string[];
      window: { start: string; end: string };
      timeZone: string;
      batches: { index: number; at: string; size: number }[];
      totalBatches: number;
      lastAt: string | null;
    };

export interface BulkSendPreview {
  recipients: RecipientCounts;
  segments: { total: number; max: number };
  delivery: DeliveryPreview;
  /**
   * When the last sendable recipient would go out: the later of its release (its batch, its
   * local time, the end of the quiet hours that would hold it; for a drip, the last batch's time)
   * and its turn under the carriers' throughput limits, behind the tenant's traffic already
   * queued on the same counters (bulk-send-pace.ts).
   */
  eta: string | null;
  /**
   * The most its sendable texts may cost, each at its worst case by the card in force (issue
   * 13); absent when no billing context is wired.
   */
  estimatedCost?: CostEstimate;
}

/** What the preview asks of billing: the texts' worst cases summed (BillingApplication). */
export interface PreviewCosts {
  estimate(texts: Iterable<EstimatedText>): Promise<CostEstimate>;
}

/** A refusal from a helper of the messages context, its fields named under `message.`. */
function underMessage<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw prefixed(error);
  }
}

async function underMessageAsync<T>(check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    throw prefixed(error);
  }
}

function prefixed(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  return new ApiError(
    error.kind,
    error.code,
    error.detail,
    error.violations.map((v) => ({ ...v, field: `message.${v.field}` })),
  );
}

/**
 * Bulk sends (issue 11 §1). This round: the preview, what a bulk send would do with nothing
 * recorded. The recipients are read in bulk (contacts, consent standings, earlier outbound texts:
 * one query each); each contact is rendered once, and judged by the same verdict the dispatcher
 * gives before the carrier (libs/compliance evaluateCompliance) at the instant it would be released.
 */
export class BulkSendsApplication {
  constructor(
    private readonly tenants: TenantDirectory,
    private readonly recipients: BulkRecipientQueries,
    private readonly templates: TemplateLookup,
    private readonly customValues: CustomValueLookup,
    private readonly clock: Clock,
    private readonly renderer: MergeFieldRenderer = new MergeFieldRenderer(),
    private readonly mediaUrlPolicy: MediaUrlPolicy = DEFAULT_MEDIA_URL_POLICY,
    /** The estimated cost of a preview (billing/); absent: none shown. */
    private readonly costs: PreviewCosts | null = null,
  ) {}

  async preview(tenant: AuthenticatedTenant, rawInput: unknown): Promise<BulkSendPreview> {
    const input = validateRequest<PreviewBulkSendInput>('PreviewBulkSendRequest', rawInput);
    const { message, profile, now, delivery, template, contacts } = await this.prepare(
      tenant,
      input,
    );
    const { candidates, duplicatePhone } = orderRecipients(contacts);
    const phones = candidates.map((contact) => contact.phone);
    const [standings, textedBefore, customValues, lastSenders] = await Promise.all([
      this.recipients.standings(tenant.tenantId, phones),
      this.recipients.phonesTextedBefore(tenant.tenantId, phones),
      this.customValues.all(tenant.tenantId),
      message.from === undefined
        ? this.recipients.lastSenders(tenant.tenantId, phones)
        : Promise.resolve(new Map<string, string>()),
    ]);
    const context: JudgeContext = {
      profile,
      template,
      source: template?.body ?? message.body ?? '',
      purpose: message.purpose ?? 'marketing',
      channel: (message.mediaUrls ?? template?.mediaUrls ?? []).length > 0 ? 'mms' : 'sms',
      customValues,
      standings,
      textedBefore,
      now,
      renderer: this.renderer,
      renderedByZone: contactFree(this.renderer, template?.body ?? message.body ?? '')
        ? new Map()
        : null,
      verdicts: new Map(),
      segments: new Map(),
    };
    const releases = releaseInstants(delivery, candidates, profile, now);
    const outcomes: RecipientOutcome[] = [];
    const released = new ReleaseGroups();
    const priced: EstimatedText[] = [];
    for (const [index, contact] of candidates.entries()) {
      // Rendering and judging 100,000 recipients takes seconds of CPU: let other requests in.
      if (index > 0 && index % JUDGED_BETWEEN_YIELDS === 0) await yieldToOtherWork();
      const outcome = judge(context, contact, releases(index));
      outcomes.push(outcome);
      if (outcome.kind === 'sendable') {
        // The sender messaging picks at release (the sticky sender), as the bulk-send runner does.
        const sender =
          chooseSender({
            phone: contact.phone,
            from: message.from ?? null,
            lastSenderByPhone: lastSenders,
            senderNumbers: profile.senderNumbers,
            defaultSender: profile.defaultSender,
          }).sender ?? profile.defaultSender;
        const cost = context.channel === 'mms' ? 1 : Math.max(1, outcome.segments);
        released.add(outcome.heldUntil ?? outcome.releaseAt, sender, context.channel, cost);
        priced.push({ to: contact.phone, from: sender, channel: context.channel, units: cost });
      }
    }
    const counted = tally(duplicatePhone.length, outcomes);
    const deliveryPreview = previewOf(delivery, candidates, profile, now);
    const scheduled =
      delivery.mode === 'drip'
        ? latest(deliveryPreview.mode === 'drip' ? deliveryPreview.lastAt : null, counted.lastOut)
        : (counted.lastOut?.toISOString() ?? null);
    const paced = await pacedEta(this.recipients, {
      tenantId: tenant.tenantId,
      now,
      overrides: profile.settings?.throughputLimits,
      releases: released.list(),
      bulkSendId: null,
    });
    const eta = latest(scheduled, paced);
    return {
      recipients: counted.recipients,
      segments: counted.segments,
      delivery: deliveryPreview,
      eta,
      ...(this.costs ? { estimatedCost: await this.costs.estimate(priced) } : {}),
    };
  }

  /**
   * What a preview and a create share: the request checked field by field (the selection, the
   * content, the delivery, the template, the sender), then the selected contacts in recipient
   * order. Nothing is recorded.
   */
  async prepare(
    tenant: AuthenticatedTenant,
    input: PreviewBulkSendInput,
  ): Promise<PreparedBulkSend> {
    const selection = requireOneSelection(input.recipients);
    const { message } = input;
    underMessage(() => requireOneContent(message));
    if (message.body === undefined && message.templateId === undefined) {
      throw ApiError.invalid('The message needs a body or a templateId', [
        { field: 'message.body', message: 'is required (or templateId)' },
      ]);
    }
    underMessage(() => requireFetchableMedia(message.mediaUrls, this.mediaUrlPolicy));
    const profile = await this.tenants.find(tenant.tenantId);
    if (!profile) throw ApiError.unauthenticated('The tenant of this API key no longer exists');
    const now = this.clock.now();
    const parsed = parseDelivery(input.delivery, { now, tenantTimeZone: profile.timeZone });
    if (!parsed.ok) throw ApiError.invalid('The delivery is not valid', parsed.errors);
    const template = await underMessageAsync(() =>
      templateContentOf(this.templates, tenant.tenantId, message),
    );
    underMessage(() =>
      requireFetchableTemplateMedia(template, message.mediaUrls, this.mediaUrlPolicy),
    );
    if (message.from !== undefined && !profile.senderNumbers.includes(message.from)) {
      throw new ApiError(
        'unprocessable',
        'sender_not_owned',
        `${message.from} is not one of your sender numbers`,
        [{ field: 'message.from', message: 'is not a sender number of this tenant' }],
      );
    }
    const contacts = await this.selected(tenant.tenantId, selection);
    return { message, profile, now, delivery: parsed.delivery, template, contacts };
  }

  /**
   * The frozen recipients of a prepared bulk send (notes/bulk-shared.md): recipient order, one
   * per phone, each sendable one in its batch, each with its own instant for a localTime.
   */
  freeze(prepared: PreparedBulkSend): FrozenRecipients {
    const { delivery, contacts, profile, now } = prepared;
    const wire = wireDelivery(delivery);
    if (delivery.mode === 'schedule' && 'localTime' in delivery) {
      const { candidates } = orderRecipients(contacts);
      const releases = releaseInstants(delivery, candidates, profile, now);
      return freezeRecipients(contacts, releaseBatchSize(wire), releases);
    }
    return freezeRecipients(contacts, releaseBatchSize(wire));
  }

  /** The selected contacts in recipient order; unknown contact ids are a 422 listing them. */
  private async selected(tenantId: string, selection: Selection): Promise<ContactResource[]> {
    switch (selection.kind) {
      case 'contactIds': {
        const found = await this.recipients.contactsByIds(tenantId, selection.contactIds);
        const byId = new Map(found.map((contact) => [contact.id, contact]));
        const unknown = unknownContactIds(selection.contactIds, byId);
        if (unknown.length > 0) {
          const listed = unknown.slice(0, LISTED_UNKNOWN_IDS);
          const more = unknown.length > listed.length ? ` (the first ${listed.length} listed)` : '';
          throw new ApiError(
            'unprocessable',
            'contact_not_found',
            `${unknown.length} of the contact ids are not contacts of this tenant${more}: ${listed
              .slice(0, 3)
              .map((u) => echoed(u.contactId))
              .join(', ')}${unknown.length > 3 ? ', ...' : ''}`,
            listed.map((u) => ({
              field: `recipients.contactIds.${u.index}`,
              message: 'is not a contact of this tenant',
            })),
          );
        }
        return selection.contactIds.map((id) => byId.get(id) as ContactResource);
      }
      case 'tags': {
        const filter = selection.tags;
        const found = await this.recipients.contactsByTags(tenantId, filter);
        return found.filter((contact) => matchesTags(contact.tags, filter));
      }
      case 'all':
        return this.recipients.contactsByTags(tenantId, null);
    }
  }
}

type Selection =
  | { kind: 'contactIds'; contactIds: string[] }
  | { kind: 'tags'; tags: TagFilter }
  | { kind: 'all' };

function requireOneSelection(recipients: PreviewBulkSendInput['recipients']): Selection {
  const given = (['contactIds', 'tags', 'all'] as const).filter((k) => recipients[k] !== undefined);
  if (given.length !== 1) {
    throw ApiError.invalid('Select the recipients one way: contactIds, tags or all', [
      {
        field: 'recipients',
        message:
          given.length === 0
            ? 'must have one of contactIds, tags or all'
            : `must have only one of contactIds, tags or all (got ${given.join(', ')})`,
      },
    ]);
  }
  if (recipients.contactIds !== undefined) {
    return { kind: 'contactIds', contactIds: recipients.contactIds };
  }
  if (recipients.tags !== undefined) {
    const { any, all, none } = recipients.tags;
    if (any === undefined && all === undefined && none === undefined) {
      throw ApiError.invalid('The tag filter is empty', [
        { field: 'recipients.tags', message: 'must have at least one of any, all or none' },
      ]);
    }
    return { kind: 'tags', tags: recipients.tags };
  }
  return { kind: 'all' };
}

interface JudgeContext {
  profile: TenantRecord;
  template: TemplateContent | null;
  source: string;
  purpose: MessagePurpose;
  channel: 'sms' | 'mms';
  customValues: Readonly<Record<string, string>>;
  standings: ReadonlyMap<string, ConsentStanding>;
  textedBefore: ReadonlySet<string>;
  now: Date;
  renderer: MergeFieldRenderer;
  /**
   * A body with no merge field and no tag renders the same for every contact of a zone (its
   * `date` filters read only the zone and now): rendered once per zone. Null: render each contact.
   */
  renderedByZone: Map<string, string> | null;
  /**
   * Verdicts already given: evaluateCompliance reads the recipient (`to`, its zone) only through
   * its locale, so the same body, standing, locale and instant give the same verdict.
   */
  verdicts: Map<string, ComplianceVerdict>;
  /** Segments per body as it would be sent (countSegments is a function of the text). */
  segments: Map<string, number>;
}

/** Whether a body renders the same for every contact (see JudgeContext.renderedByZone). */
function contactFree(renderer: MergeFieldRenderer, source: string): boolean {
  if (source.includes('{%')) return false;
  const compiled = renderer.compile(source);
  return 'templates' in compiled && compiled.variables.length === 0;
}

/**
 * One recipient: rendered once (a merge failure is `skipped: missing_merge_value`), then the
 * dispatcher's verdict at its release instant: blocked by its first reason, held by quiet hours,
 * or sendable with its segments (compliance additions included).
 */
function judge(context: JudgeContext, contact: ContactResource, at: Date): RecipientOutcome {
  const { profile } = context;
  const zone = contact.timeZone ?? profile.timeZone;
  let body: string;
  try {
    body =
      context.renderedByZone?.get(zone) ??
      renderedBody(context.source, {
        renderer: context.renderer,
        contact,
        phone: contact.phone,
        customValues: context.customValues,
        businessName: profile.brandName,
        timeZone: zone,
        now: context.now,
      });
    context.renderedByZone?.set(zone, body);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'missing_merge_value') {
      return { kind: 'skipped', reason: 'missing_merge_value' };
    }
    // The text itself is not a valid template: every recipient would fail, so the request is bad.
    throw prefixed(error);
  }
  const additions = complianceAdditions({
    body,
    brandName: profile.brandName,
    purpose: context.purpose,
    firstMessageToContact: !context.textedBefore.has(contact.phone),
    // Messaging decides the periodic reminder at queue time; counted as added when it is on.
    optOutReminderDue: profile.settings?.optOutReminder !== undefined,
  });
  const check = {
    body: additions.body,
    purpose: context.purpose,
    channel: context.channel,
    to: contact.phone,
    at,
    standing: context.standings.get(contact.phone) ?? null,
    tenant: {
      timeZone: profile.timeZone,
      restrictedContent: profile.compliance.restrictedContent ?? 'block',
    },
    contactTimeZone: contact.timeZone ?? undefined,
  };
  const key = JSON.stringify([
    additions.body,
    check.standing,
    at.getTime(),
    recipientLocale({
      phone: check.to,
      contactTimeZone: check.contactTimeZone,
      tenantTimeZone: profile.timeZone,
    }),
  ]);
  let verdict = context.verdicts.get(key);
  if (verdict === undefined) {
    verdict = evaluateCompliance(check);
    context.verdicts.set(key, verdict);
  }
  if (verdict.verdict === 'block') {
    const reason = verdict.reasons[0];
    if (reason !== undefined) return { kind: 'blocked', reason };
  }
  let segments = context.segments.get(additions.body);
  if (segments === undefined) {
    segments = countSegments(additions.body).segments;
    context.segments.set(additions.body, segments);
  }
  return {
    kind: 'sendable',
    segments,
    releaseAt: at,
    heldUntil: verdict.verdict === 'hold' ? verdict.sendAt : null,
  };
}

/** The zone a `localTime` names for one recipient ("recipient": contact, area code, tenant). */
function recipientZone(keyword: string, contact: ContactResource, profile: TenantRecord): string {
  return resolveZone({
    keyword,
    contactZone: contact.timeZone ?? undefined,
    areaCodeZone: recipientLocale({ phone: contact.phone, tenantTimeZone: profile.timeZone })
      .timeZone,
    tenantZone: profile.timeZone,
  });
}

/**
 * When each candidate (by its place in recipient order) would be released: now, the instant, its
 * own local time, or its drip batch (batches take the candidates in order, `batchSize` each).
 * A local time already past is released now.
 */
function releaseInstants(
  delivery: Delivery,
  candidates: readonly ContactResource[],
  profile: TenantRecord,
  now: Date,
): (index: number) => Date {
  if (delivery.mode === 'now') return () => now;
  if (delivery.mode === 'schedule') {
    if ('at' in delivery) return () => delivery.at;
    const { localTime, timeZone } = delivery;
    return (index) => {
      const contact = candidates[index] as ContactResource;
      const at = localTimeInstant(localTime, recipientZone(timeZone, contact, profile));
      return at < now ? now : at;
    };
  }
  const ats: Date[] = [];
  for (const batch of dripBatches(delivery, candidates.length)) ats.push(batch.at);
  return (index) => ats[Math.floor(index / delivery.batchSize)] as Date;
}

function previewOf(
  delivery: Delivery,
  candidates: readonly ContactResource[],
  profile: TenantRecord,
  now: Date,
): DeliveryPreview {
  if (delivery.mode === 'now') return { mode: 'now', at: now.toISOString() };
  if (delivery.mode === 'schedule') {
    if ('at' in delivery) return { mode: 'schedule', at: delivery.at.toISOString() };
    let first: number | null = null;
    let last: number | null = null;
    for (const contact of candidates) {
      const at = localTimeInstant(
        delivery.localTime,
        recipientZone(delivery.timeZone, contact, profile),
      ).getTime();
      first = first === null ? at : Math.min(first, at);
      last = last === null ? at : Math.max(last, at);
    }
    return {
      mode: 'schedule',
      localTime: delivery.localTime,
      timeZone: delivery.timeZone,
      firstAt: first === null ? null : new Date(first).toISOString(),
      lastAt: last === null ? null : new Date(last).toISOString(),
    };
  }
  const drip = dripPreview(delivery, candidates.length);
  return {
    mode: 'drip',
    startAt: delivery.startAt.toISOString(),
    batchSize: delivery.batchSize,
    every: { ...delivery.every },
    days: [...delivery.days],
    window: { ...delivery.window },
    timeZone: delivery.timeZone,
    batches: drip.batches.map((b) => ({ index: b.index, at: b.at.toISOString(), size: b.size })),
    totalBatches: drip.total,
    lastAt: drip.lastAt?.toISOString() ?? null,
  };
}

function latest(a: string | null, b: Date | null): string | null {
  if (a === null) return b?.toISOString() ?? null;
  if (b === null) return a;
  return Date.parse(a) >= b.getTime() ? a : b.toISOString();
}
