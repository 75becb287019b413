import type { ConsumedEvent } from '@textplane/kafka';
import type { EventDataByType } from '@textplane/contracts';
import type { EntityManager } from 'typeorm';

type TenantTopicEventType =
  | 'gateway.TenantCreated.v1'
  | 'gateway.SenderNumberAdded.v1'
  | 'gateway.SenderNumberRemoved.v1'
  | 'gateway.TenantComplianceProfileSet.v1'
  | 'gateway.TenantSettingsSet.v1'
  | 'gateway.ApiKeyIssued.v1';

/** The events of the gateway's tenants topic. */
type TenantTopicEvent = {
  [K in TenantTopicEventType]: { type: K; data: EventDataByType[K] };
}[TenantTopicEventType];

const tenantTopicEventTypes: ReadonlySet<string> = new Set<TenantTopicEventType>([
  'gateway.TenantCreated.v1',
  'gateway.SenderNumberAdded.v1',
  'gateway.SenderNumberRemoved.v1',
  'gateway.TenantComplianceProfileSet.v1',
  'gateway.TenantSettingsSet.v1',
  'gateway.ApiKeyIssued.v1',
]);

/**
 * Which tenant owns each sender number: routes inbound texts. Built from gateway tenant events.
 * Events of one tenant arrive in order, but two tenants' streams do not: when a number moves,
 * the new owner's claim may arrive before the old owner's release. The gateway lets a number be
 * claimed only once released, so the later claim (by its time) wins, and a release only frees
 * the number if the releasing tenant still holds it here.
 */
export class TenantNumbers {
  /** The effect of one tenant event, inside the caller's transaction (see onceThroughInbox). */
  async apply(consumed: ConsumedEvent, manager: EntityManager): Promise<void> {
    if (!tenantTopicEventTypes.has(consumed.type)) return;
    // The consumer has validated the data against the event's schema.
    const event = { type: consumed.type, data: consumed.data } as TenantTopicEvent;
    switch (event.type) {
      case 'gateway.TenantCreated.v1': {
        const data = event.data;
        for (const phone of data.senderNumbers)
          await this.add(manager, phone, data.tenantId, data.createdAt);
        // A bulk send's last resort for a contact's sender (chooseSender).
        await manager.query(
          `INSERT INTO tenant_default_senders (tenant_id, default_sender) VALUES ($1, $2)
           ON CONFLICT (tenant_id) DO UPDATE SET default_sender = EXCLUDED.default_sender`,
          [data.tenantId, data.defaultSender],
        );
        return;
      }
      case 'gateway.SenderNumberAdded.v1': {
        const data = event.data;
        return this.add(manager, data.phoneNumber, data.tenantId, data.addedAt);
      }
      case 'gateway.SenderNumberRemoved.v1': {
        const data = event.data;
        await manager.query(
          `DELETE FROM tenant_numbers WHERE phone_number = $1 AND tenant_id = $2`,
          [data.phoneNumber, data.tenantId],
        );
        return;
      }
      // Facts that move no number: listed, so a new tenant event is a decision here.
      case 'gateway.TenantComplianceProfileSet.v1':
      case 'gateway.TenantSettingsSet.v1':
      case 'gateway.ApiKeyIssued.v1':
        return;
    }
  }

  /** The tenant's default sender, or null for a tenant not known here. */
  async defaultSenderOf(manager: EntityManager, tenantId: string): Promise<string | null> {
    const rows = await manager.query<Array<{ default_sender: string }>>(
      `SELECT default_sender FROM tenant_default_senders WHERE tenant_id = $1`,
      [tenantId],
    );
    return rows[0]?.default_sender ?? null;
  }

  /** Every number the tenant holds now. */
  async numbersOf(manager: EntityManager, tenantId: string): Promise<Set<string>> {
    const rows = await manager.query<Array<{ phone_number: string }>>(
      `SELECT phone_number FROM tenant_numbers WHERE tenant_id = $1`,
      [tenantId],
    );
    return new Set(rows.map((row) => row.phone_number));
  }

  async ownerOf(manager: EntityManager, phoneNumber: string): Promise<string | null> {
    const rows = await manager.query<Array<{ tenant_id: string }>>(
      `SELECT tenant_id FROM tenant_numbers WHERE phone_number = $1`,
      [phoneNumber],
    );
    return rows[0]?.tenant_id ?? null;
  }

  /** Which of `phoneNumbers` the tenant holds now, in one read (for a batch before the carrier). */
  async heldBy(
    manager: EntityManager,
    tenantId: string,
    phoneNumbers: readonly string[],
  ): Promise<Set<string>> {
    if (phoneNumbers.length === 0) return new Set();
    const rows = await manager.query<Array<{ phone_number: string }>>(
      `SELECT phone_number FROM tenant_numbers WHERE tenant_id = $1 AND phone_number = ANY($2)`,
      [tenantId, [...new Set(phoneNumbers)]],
    );
    return new Set(rows.map((row) => row.phone_number));
  }

  private async add(
    manager: EntityManager,
    phone: string,
    tenantId: string,
    at: string,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO tenant_numbers (phone_number, tenant_id, added_at) VALUES ($1, $2, $3)
       ON CONFLICT (phone_number) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, added_at = EXCLUDED.added_at
         WHERE tenant_numbers.added_at <= EXCLUDED.added_at`,
      [phone, tenantId, at],
    );
  }
}
