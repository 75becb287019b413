import { optOutReminderDue } from '@textplane/compliance';
import type { SendRequested } from '@textplane/contracts';
import type { ConsumedEvent } from '@textplane/kafka';
import type { EntityManager } from 'typeorm';
import type { Clock } from '@textplane/service-runtime';
import type { MessageStore } from '../../infrastructure/message-store.js';
import {
  type TenantProfile,
  type TenantProfiles,
  UnknownTenantError,
} from '../../tenants/tenant-profiles.js';

/**
 * Turns a gateway send request into a queued message, exactly once per request event. The
 * queued body carries what compliance adds: the brand on a first message to a contact, and
 * opt-out language on marketing (and, when the tenant's periodic reminder is due, on others).
 */
export class QueueMessageHandler {
  constructor(
    private readonly messages: MessageStore,
    private readonly tenants: TenantProfiles,
    private readonly clock: Clock,
  ) {}

  /**
   * For a fetched batch, before `apply` runs for each event: the new streams and the contacts'
   * first-message flags in one read each (the unit of work keeps them), not one per event.
   */
  async prepare(events: readonly ConsumedEvent[], manager: EntityManager): Promise<void> {
    const requests = events
      .filter((event) => event.type === 'gateway.SendRequested.v1')
      .map((event) => event.data as SendRequested);
    await this.messages.loadAll(
      requests.map((request) => request.messageId),
      manager,
    );
    await this.messages.prefetchFirstOutbound(
      manager,
      requests.map((request) => ({ tenantId: request.tenantId, contactPhone: request.to })),
    );
    await this.prefetchOptOutLines(requests, manager);
  }

  /** The effect of one event, inside the caller's transaction (see onceThroughInbox). */
  async apply(event: ConsumedEvent, manager: EntityManager): Promise<void> {
    if (event.type !== 'gateway.SendRequested.v1') return;
    const request = event.data as SendRequested;
    const now = this.clock.now();
    const profile = await this.tenants.require(manager, request.tenantId);
    const firstMessageToContact = await this.messages.isFirstOutbound(
      manager,
      request.tenantId,
      request.to,
    );
    await this.messages.handle(
      request.messageId,
      {
        type: 'QueueMessage',
        request,
        additions: {
          brandName: profile.brandName,
          firstMessageToContact,
          optOutReminderDue: await this.optOutReminderDue(manager, request, profile, now),
        },
        now,
      },
      { tenantId: request.tenantId, correlationId: event.correlationId, causationId: event.id },
      manager,
    );
  }

  /**
   * The tenant's periodic opt-out reminder (`optOutReminder.everyDays`): due when the contact
   * has not been sent an opt-out line for that long, by the queue time. Looked up only for a
   * tenant that turned it on.
   */
  private async optOutReminderDue(
    manager: EntityManager,
    request: SendRequested,
    profile: TenantProfile,
    now: Date,
  ): Promise<boolean> {
    const everyDays = profile.optOutReminderEveryDays;
    if (everyDays === null || request.purpose === 'marketing') return false;
    const lastOptOutLineAt = await this.messages.lastOptOutLineAt(
      manager,
      request.tenantId,
      request.to,
    );
    return optOutReminderDue({ purpose: request.purpose, everyDays, lastOptOutLineAt, now });
  }

  /** The batch's contacts of tenants with the reminder on, in one read. */
  private async prefetchOptOutLines(
    requests: readonly SendRequested[],
    manager: EntityManager,
  ): Promise<void> {
    const contacts: Array<{ tenantId: string; contactPhone: string }> = [];
    for (const request of requests) {
      if (request.purpose === 'marketing') continue;
      // A tenant not known yet fails its own event in `apply` (retried), not the whole batch here.
      const profile = await this.tenants.require(manager, request.tenantId).catch((error) => {
        if (error instanceof UnknownTenantError) return null;
        throw error;
      });
      if (profile?.optOutReminderEveryDays == null) continue;
      contacts.push({ tenantId: request.tenantId, contactPhone: request.to });
    }
    await this.messages.prefetchOptOutLines(manager, contacts);
  }
}
