import type {
  ConsentGrantRequested,
  ConsentRevocationRequested,
  DndChangeRequested,
  RevocationReviewResolutionRequested,
} from '@textplane/contracts';
import type { ConsumedEvent } from '@textplane/kafka';
import type { EntityManager } from 'typeorm';
import type { Clock } from '@textplane/service-runtime';
import type { CommandContext, ConsentStore } from '../../infrastructure/consent-store.js';
import type { TenantProfiles } from '../../tenants/tenant-profiles.js';
import { replyTextsFor } from '../auto-replies/reply-texts.js';

export interface RequestLogger {
  warn(obj: object, msg?: string): void;
}

/** Records what the API was asked to record: grants, revocations, DND changes, review decisions. */
export class ConsentRequestHandler {
  constructor(
    private readonly consents: ConsentStore,
    private readonly tenants: TenantProfiles,
    private readonly clock: Clock,
    private readonly logger: RequestLogger,
  ) {}

  /** The effect of one event, inside the caller's transaction (see onceThroughInbox). */
  async apply(event: ConsumedEvent, manager: EntityManager): Promise<void> {
    const context: CommandContext = { correlationId: event.correlationId, causationId: event.id };
    const now = this.clock.now();
    switch (event.type) {
      case 'gateway.ConsentGrantRequested.v1': {
        const request = event.data as ConsentGrantRequested;
        await this.consents.handle(
          request.tenantId,
          request.phone,
          { type: 'RecordGrant', request, now },
          context,
          manager,
        );
        return;
      }
      case 'gateway.ConsentRevocationRequested.v1': {
        const request = event.data as ConsentRevocationRequested;
        await this.consents.handle(
          request.tenantId,
          request.phone,
          { type: 'RecordRevocation', request, now },
          context,
          manager,
        );
        return;
      }
      case 'gateway.DndChangeRequested.v1': {
        const request = event.data as DndChangeRequested;
        await this.consents.handle(
          request.tenantId,
          request.phone,
          { type: 'ChangeDnd', request, now },
          context,
          manager,
        );
        return;
      }
      case 'gateway.RevocationReviewResolutionRequested.v1': {
        const request = event.data as RevocationReviewResolutionRequested;
        // A revoking decision confirms the opt-out in the tenant's words.
        const tenant = await this.tenants.requireProfile(manager, request.tenantId);
        const { events } = await this.consents.handle(
          request.tenantId,
          request.phone,
          {
            type: 'ResolveReview',
            request,
            texts: replyTextsFor(tenant),
            defaultFrom: tenant.defaultSender,
            now,
          },
          context,
          manager,
        );
        if (events.length === 0) {
          this.logger.warn(
            {
              tenantId: request.tenantId,
              reviewId: request.reviewId,
              requestId: request.requestId,
            },
            'review resolution ignored: no such open review on this ledger',
          );
        }
        return;
      }
      default:
        return;
    }
  }
}
