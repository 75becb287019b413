import type { ConsumedEvent } from '@textplane/kafka';
import type { SenderNumberAdded, TenantCreated } from '@textplane/contracts';
import type { EntityManager } from 'typeorm';

/** Which tenant owns each sender number: routes inbound texts. Built from gateway tenant events. */
export class TenantNumbers {
  /** The effect of one tenant event, inside the caller's transaction (see onceThroughInbox). */
  async apply(event: ConsumedEvent, manager: EntityManager): Promise<void> {
    switch (event.type) {
      case 'gateway.TenantCreated.v1': {
        const data = event.data as TenantCreated;
        for (const phone of data.senderNumbers)
          await this.add(manager, phone, data.tenantId, data.createdAt);
        return;
      }
      case 'gateway.SenderNumberAdded.v1': {
        const data = event.data as SenderNumberAdded;
        return this.add(manager, data.phoneNumber, data.tenantId, data.addedAt);
      }
      default:
        return;
    }
  }

  async ownerOf(manager: EntityManager, phoneNumber: string): Promise<string | null> {
    const rows = await manager.query<Array<{ tenant_id: string }>>(
      `SELECT tenant_id FROM tenant_numbers WHERE phone_number = $1`,
      [phoneNumber],
    );
    return rows[0]?.tenant_id ?? null;
  }

  private async add(
    manager: EntityManager,
    phone: string,
    tenantId: string,
    at: string,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO tenant_numbers (phone_number, tenant_id, added_at) VALUES ($1, $2, $3)
       ON CONFLICT (phone_number) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, added_at = EXCLUDED.added_at`,
      [phone, tenantId, at],
    );
  }
}
