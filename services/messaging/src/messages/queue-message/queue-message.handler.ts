import type { SendRequested } from '@textplane/contracts';
import type { ConsumedEvent } from '@textplane/kafka';
import type { EntityManager } from 'typeorm';
import type { Clock } from '@textplane/service-runtime';
import type { MessageStore } from '../../infrastructure/message-store.js';
import type { TenantProfiles } from '../../tenants/tenant-profiles.js';

/**
 * Turns a gateway send request into a queued message, exactly once per request event. The
 * queued body carries what compliance adds: the brand on a first message to a contact, and
 * opt-out language on marketing.
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
  }

  /** The effect of one event, inside the caller's transaction (see onceThroughInbox). */
  async apply(event: ConsumedEvent, manager: EntityManager): Promise<void> {
    if (event.type !== 'gateway.SendRequested.v1') return;
    const request = event.data as SendRequested;
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
        additions: { brandName: profile.brandName, firstMessageToContact },
        now: this.clock.now(),
      },
      { tenantId: request.tenantId, correlationId: event.correlationId, causationId: event.id },
      manager,
    );
  }
}
