import type { ReplyIntent } from '@textplane/compliance';
import type { InboundMessageReceived } from '@textplane/contracts';
import type { ConsumedEvent } from '@textplane/kafka';
import type { EntityManager } from 'typeorm';
import type { Clock } from '@textplane/service-runtime';
import type { ConsentStore } from '../../infrastructure/consent-store.js';
import type { TenantProfiles } from '../../tenants/tenant-profiles.js';
import { replyTextsFor } from '../auto-replies/reply-texts.js';

/** Reads what a reply means: `classifyReply` of @textplane/compliance. */
export type ReplyClassifier = (body: string) => ReplyIntent;

export interface ReplyLogger {
  info(obj: object, msg?: string): void;
}

/** Turns texts people send to a tenant's numbers into ledger facts: STOP, START, HELP and kin. */
export class InboundReplyHandler {
  constructor(
    private readonly consents: ConsentStore,
    private readonly tenants: TenantProfiles,
    private readonly classify: ReplyClassifier,
    private readonly clock: Clock,
    private readonly logger: ReplyLogger,
  ) {}

  /** The effect of one event, inside the caller's transaction (see onceThroughInbox). */
  async apply(event: ConsumedEvent, manager: EntityManager): Promise<void> {
    if (event.type !== 'messaging.InboundMessageReceived.v1') return;
    const inbound = event.data as InboundMessageReceived;
    const intent = this.classify(inbound.body);
    // Most replies are conversation, not compliance: no ledger to read for them.
    if (intent.kind === 'none') return;
    // An unknown tenant throws, so the consumer retries until its TenantCreated is in.
    const tenant = await this.tenants.requireProfile(manager, inbound.tenantId);
    const { events } = await this.consents.handle(
      inbound.tenantId,
      inbound.from,
      {
        type: 'HandleReply',
        tenantId: inbound.tenantId,
        reply: {
          messageId: inbound.messageId,
          from: inbound.from,
          to: inbound.to,
          body: inbound.body,
          receivedAt: inbound.receivedAt,
        },
        intent,
        texts: replyTextsFor(tenant),
        now: this.clock.now(),
      },
      { correlationId: event.correlationId, causationId: event.id },
      manager,
    );
    this.logger.info(
      {
        tenantId: inbound.tenantId,
        messageId: inbound.messageId,
        intent: intent.kind,
        recorded: events.map((e) => e.type),
      },
      'reply classified',
    );
  }
}
