import { optOutReminderDue } from '@textplane/compliance';
import { bulkMessageId, type BulkMessageContent, type ContactRecord } from '@textplane/contracts';
import { chooseSender } from '@textplane/delivery-schedule';
import type { EventStore } from '@textplane/event-store';
import { MergeFieldRenderer, renderBody } from '@textplane/merge-fields';
import type { Clock } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import type { CommandContext, MessageStore } from '../infrastructure/message-store.js';
import { ConversationProjection } from '../messages/projections/conversation.projection.js';
import type { TenantNumbers } from '../tenants/tenant-numbers.js';
import type { TenantProfile, TenantProfiles } from '../tenants/tenant-profiles.js';
import { releasable } from './bulk-send.decider.js';
import type { BulkSendStore } from './bulk-send-store.js';

/** What one release did: which run's batch, how many messages it queued and skipped. */
export interface ReleasedBatch {
  bulkSendId: string;
  batch: number;
  queued: number;
  skipped: number;
}

interface RecipientRow {
  contact_id: string;
  phone: string;
  send_at: Date | null;
}

/**
 * Releases due bulk-send batches, one batch per transaction: the due run is claimed (`FOR NO KEY
 * UPDATE SKIP LOCKED`, so two runners never take the same run and a pause or cancel, `FOR
 * UPDATE`, waits for the release under way, or the runner passes over a run being paused, while
 * the dispatcher's bulk gate, `FOR KEY SHARE`, is not held back by it), every recipient of the batch
 * rendered (the contact's values now, the pinned template version, the tenant's custom values)
 * and queued as a message with the id `bulkMessageId(bulkSendId, contactId)` through the message
 * decider (a stream that exists is already queued and is not queued again), then the checkpoint
 * BulkSendBatchReleased at the run's expected version: a second releaser loses on it and rolls
 * back. What the batch reads (contacts, streams, conversations, numbers) is read in bulk.
 */
export class BulkSendRunner {
  private readonly renderer = new MergeFieldRenderer();
  private readonly conversations = new ConversationProjection();

  constructor(
    private readonly store: EventStore,
    private readonly bulkSends: BulkSendStore,
    private readonly messages: MessageStore,
    private readonly profiles: TenantProfiles,
    private readonly numbers: TenantNumbers,
    private readonly clock: Clock,
  ) {}

  /**
   * Releases due batches until none is due (or `limit` were released); returns what it did. A
   * run whose release fails (a template version not known here yet, a tenant without a sender)
   * is reported to `onFailure` and passed over until the next call, so it holds back no other.
   */
  async releaseDue(
    limit = 100,
    onFailure: (bulkSendId: string, error: unknown) => void = (_, error) => {
      throw error;
    },
  ): Promise<ReleasedBatch[]> {
    const released: ReleasedBatch[] = [];
    const failed = new Set<string>();
    while (released.length < limit) {
      const claimed: { bulkSendId?: string } = {};
      let one: ReleasedBatch | null;
      try {
        one = await this.releaseOne(failed, claimed);
      } catch (error) {
        if (claimed.bulkSendId === undefined) throw error;
        failed.add(claimed.bulkSendId);
        onFailure(claimed.bulkSendId, error);
        continue;
      }
      if (one === null) return released;
      released.push(one);
    }
    return released;
  }

  /**
   * Claims one due run (not one of `passedOver`) and releases its next batch; null when no run is
   * due. `claimed` learns which run it took, for a caller that handles a failure.
   */
  releaseOne(
    passedOver: ReadonlySet<string> = new Set(),
    claimed: { bulkSendId?: string } = {},
  ): Promise<ReleasedBatch | null> {
    return this.store.transaction(async (manager) => {
      const now = this.clock.now();
      const due = await manager.query<Array<{ bulk_send_id: string; next_batch: number }>>(
        `SELECT bulk_send_id, next_batch FROM bulk_send_runs
         WHERE status IN ('scheduled', 'running') AND next_batch_at <= $1
           AND NOT (bulk_send_id = ANY($2::uuid[]))
         ORDER BY next_batch_at LIMIT 1
         FOR NO KEY UPDATE SKIP LOCKED`,
        [now.toISOString(), [...passedOver]],
      );
      const run = due[0];
      if (!run) return null;
      claimed.bulkSendId = run.bulk_send_id;
      const loaded = await this.bulkSends.load(run.bulk_send_id, manager);
      const { state } = loaded;
      if (
        state.status === 'none' ||
        state.status === 'collecting' ||
        !releasable(state, run.next_batch)
      ) {
        throw new Error(
          `bulk send ${run.bulk_send_id}: its run row says batch ${run.next_batch} is due, its stream says ${state.status}`,
        );
      }
      const batch = state.nextBatch;
      const context: CommandContext = { tenantId: state.tenantId, correlationId: state.bulkSendId };
      const outcome = await this.queueBatch(
        manager,
        state.bulkSendId,
        state.tenantId,
        state.message,
        batch,
        context,
        now,
        state.defaultSender,
      );
      await this.bulkSends.handle(
        state.bulkSendId,
        {
          type: 'ReleaseBatch',
          tenantId: state.tenantId,
          batch,
          queued: outcome.queued,
          skipped: outcome.skipped,
          now,
        },
        context,
        manager,
        loaded,
      );
      return {
        bulkSendId: state.bulkSendId,
        batch,
        queued: outcome.queued,
        skipped: outcome.skipped.length,
      };
    });
  }

  private async queueBatch(
    manager: EntityManager,
    bulkSendId: string,
    tenantId: string,
    message: BulkMessageContent,
    batch: number,
    context: CommandContext,
    now: Date,
    defaultAtCreation: string | undefined,
  ): Promise<{
    queued: number;
    skipped: Array<{ contactId: string; reason: 'missing_merge_value' }>;
  }> {
    const recipients = await manager.query<RecipientRow[]>(
      `SELECT contact_id, phone, send_at FROM bulk_send_recipients
       WHERE bulk_send_id = $1 AND batch = $2 AND skipped IS NULL ORDER BY position`,
      [bulkSendId, batch],
    );
    const phones = recipients.map((r) => r.phone);
    // One statement at a time: the transaction has one connection.
    const profile = await this.profiles.require(manager, tenantId);
    const content = await this.contentOf(manager, tenantId, message);
    const customValues = await this.customValuesOf(manager, tenantId);
    const contacts = await this.contactsOf(
      manager,
      tenantId,
      recipients.map((r) => r.contact_id),
    );
    const lastNumbers = await this.conversations.lastNumbers(manager, tenantId, phones);
    const held = await this.numbers.numbersOf(manager, tenantId);
    // The tenant's default now; else the one the gateway knew at creation (a tenant created
    // before this service kept defaults, whose TenantCreated it consumed before then).
    const defaultSender =
      (await this.numbers.defaultSenderOf(manager, tenantId)) ?? defaultAtCreation ?? null;
    const ids = recipients.map((r) => bulkMessageId(bulkSendId, r.contact_id));
    const streams = await this.messages.loadAll(ids, manager);
    // loadAll answers for every id; a stream with no events is a message still to queue.
    const fresh = recipients.filter(
      (_, i) => (streams.get(ids[i]!)?.state.status ?? 'none') === 'none',
    );
    const pairs = fresh.map((r) => ({ tenantId, contactPhone: r.phone }));
    await this.messages.prefetchFirstOutbound(manager, pairs);
    const reminder = profile.optOutReminderEveryDays !== null && content.purpose !== 'marketing';
    if (reminder) await this.messages.prefetchOptOutLines(manager, pairs);

    let queued = 0;
    const skipped: Array<{ contactId: string; reason: 'missing_merge_value' }> = [];
    for (const [i, recipient] of recipients.entries()) {
      const messageId = ids[i]!;
      const existing = streams.get(messageId);
      if (existing && existing.state.status !== 'none') {
        // Queued by an earlier release of this batch: not queued again.
        queued += 1;
        continue;
      }
      const contact = contacts.get(recipient.contact_id) ?? null;
      const timeZone = contact?.timeZone ?? profile.timeZone;
      const rendered = renderBody(this.renderer, content.body, {
        contact: contact ? { ...contact, phone: recipient.phone } : null,
        phone: recipient.phone,
        customValues,
        businessName: profile.brandName,
        timeZone,
        now,
      });
      if (!rendered.ok) {
        skipped.push({ contactId: recipient.contact_id, reason: 'missing_merge_value' });
        continue;
      }
      const sender = chooseSender({
        phone: recipient.phone,
        from: message.from ?? null,
        lastSenderByPhone: lastNumbers,
        senderNumbers: held,
        defaultSender,
      }).sender;
      if (sender === null) {
        throw new Error(`bulk send ${bulkSendId}: tenant ${tenantId} has no sender number`);
      }
      const firstMessageToContact = await this.messages.isFirstOutbound(
        manager,
        tenantId,
        recipient.phone,
      );
      await this.messages.handle(
        messageId,
        {
          type: 'QueueMessage',
          request: {
            messageId,
            tenantId,
            to: recipient.phone,
            from: sender,
            body: rendered.text,
            mediaUrls: content.mediaUrls,
            purpose: content.purpose,
            ...(contact?.timeZone ? { recipientTimeZone: contact.timeZone } : {}),
            ...(recipient.send_at ? { sendAt: new Date(recipient.send_at).toISOString() } : {}),
            contactId: recipient.contact_id,
            ...(message.templateId !== undefined ? { templateId: message.templateId } : {}),
            ...(message.templateVersion !== undefined
              ? { templateVersion: message.templateVersion }
              : {}),
            bulkSendId,
          },
          additions: {
            brandName: profile.brandName,
            firstMessageToContact,
            optOutReminderDue: reminder
              ? await this.reminderDue(manager, profile, content.purpose, recipient.phone, now)
              : false,
          },
          now,
        },
        context,
        manager,
        existing,
      );
      queued += 1;
    }
    return { queued, skipped };
  }

  private async reminderDue(
    manager: EntityManager,
    profile: TenantProfile,
    purpose: BulkMessageContent['purpose'],
    phone: string,
    now: Date,
  ): Promise<boolean> {
    const everyDays = profile.optOutReminderEveryDays;
    if (everyDays === null) return false;
    const lastOptOutLineAt = await this.messages.lastOptOutLineAt(manager, profile.tenantId, phone);
    return optOutReminderDue({ purpose, everyDays, lastOptOutLineAt, now });
  }

  /** The body and media every recipient gets: the message's own, or its pinned template version's. */
  private async contentOf(
    manager: EntityManager,
    tenantId: string,
    message: BulkMessageContent,
  ): Promise<{ body: string; mediaUrls: string[]; purpose: BulkMessageContent['purpose'] }> {
    if (message.templateId === undefined) {
      return { body: message.body ?? '', mediaUrls: message.mediaUrls, purpose: message.purpose };
    }
    const rows = await manager.query<Array<{ body: string; media_urls: string[] }>>(
      `SELECT body, media_urls FROM template_versions
       WHERE tenant_id = $1 AND template_id = $2 AND version = $3`,
      [tenantId, message.templateId, message.templateVersion ?? 1],
    );
    const template = rows[0];
    if (!template) {
      throw new Error(
        `template ${message.templateId} version ${message.templateVersion ?? 1} of tenant ${tenantId} is not known here (yet)`,
      );
    }
    return {
      body: template.body,
      mediaUrls: message.mediaUrls.length > 0 ? message.mediaUrls : template.media_urls,
      purpose: message.purpose,
    };
  }

  private async customValuesOf(
    manager: EntityManager,
    tenantId: string,
  ): Promise<Record<string, string>> {
    const rows = await manager.query<Array<{ key: string; value: string }>>(
      `SELECT key, value FROM custom_values WHERE tenant_id = $1`,
      [tenantId],
    );
    return Object.fromEntries(rows.map((row) => [row.key, row.value]));
  }

  private async contactsOf(
    manager: EntityManager,
    tenantId: string,
    contactIds: readonly string[],
  ): Promise<Map<string, ContactRecord>> {
    if (contactIds.length === 0) return new Map();
    const rows = await manager.query<Array<{ contact_id: string; record: ContactRecord }>>(
      `SELECT contact_id, record FROM contacts WHERE tenant_id = $1 AND contact_id = ANY($2::text[])`,
      [tenantId, contactIds],
    );
    return new Map(rows.map((row) => [row.contact_id, row.record]));
  }
}
