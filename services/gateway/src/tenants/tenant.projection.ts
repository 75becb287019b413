import { queryRows } from '@textplane/event-store';
import type { EntityManager } from 'typeorm';
import type { TenantEvent } from './tenant.events.js';

/** The number another tenant already has: the claim and the event that made it roll back. */
export class SenderNumberTaken extends Error {
  constructor(readonly phoneNumber: string) {
    super(`${phoneNumber} belongs to another tenant`);
    this.name = 'SenderNumberTaken';
  }
}

/**
 * Tenants, their sender numbers and API key hashes, as the gateway reads them to authenticate
 * and route. Applied in the transaction that appends the events, so the sender number's primary
 * key guards the claim: a claim on a number another tenant has (or is claiming in a transaction
 * not yet committed, which this one waits for) throws SenderNumberTaken and nothing is recorded.
 */
export async function projectTenantEvents(
  manager: EntityManager,
  events: TenantEvent[],
): Promise<void> {
  for (const event of events) {
    switch (event.type) {
      case 'gateway.TenantCreated.v1': {
        const d = event.data;
        await manager.query(
          `INSERT INTO tenants (id, name, brand_name, time_zone, default_sender, compliance, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [
            d.tenantId,
            d.name,
            d.brandName,
            d.timeZone,
            d.defaultSender,
            d.compliance ? JSON.stringify(d.compliance) : null,
            d.createdAt,
          ],
        );
        for (const phoneNumber of d.senderNumbers) {
          await claimSenderNumber(manager, phoneNumber, d.tenantId, d.createdAt);
        }
        break;
      }
      case 'gateway.SenderNumberAdded.v1':
        await claimSenderNumber(
          manager,
          event.data.phoneNumber,
          event.data.tenantId,
          event.data.addedAt,
        );
        break;
      case 'gateway.SenderNumberRemoved.v1':
        await manager.query(
          `DELETE FROM sender_numbers WHERE phone_number = $1 AND tenant_id = $2`,
          [event.data.phoneNumber, event.data.tenantId],
        );
        break;
      case 'gateway.TenantComplianceProfileSet.v1':
        await manager.query(`UPDATE tenants SET compliance = $2 WHERE id = $1`, [
          event.data.tenantId,
          JSON.stringify(event.data.compliance),
        ]);
        break;
      case 'gateway.TenantSettingsSet.v1':
        await manager.query(`UPDATE tenants SET settings = $2 WHERE id = $1`, [
          event.data.tenantId,
          JSON.stringify(event.data.settings),
        ]);
        break;
      case 'gateway.ApiKeyIssued.v1': {
        const d = event.data;
        await manager.query(
          `INSERT INTO api_keys (key_hash, key_id, tenant_id, label, issued_at) VALUES ($1, $2, $3, $4, $5)`,
          [d.keyHash, d.keyId, d.tenantId, d.label, d.issuedAt],
        );
        break;
      }
    }
  }
}

async function claimSenderNumber(
  manager: EntityManager,
  phoneNumber: string,
  tenantId: string,
  at: string,
): Promise<void> {
  // DO NOTHING rather than a unique violation: the error names the number, and the transaction
  // is not left aborted for the caller.
  const claimed = await queryRows(
    manager,
    `INSERT INTO sender_numbers (phone_number, tenant_id, added_at) VALUES ($1, $2, $3)
     ON CONFLICT (phone_number) DO NOTHING RETURNING 1`,
    [phoneNumber, tenantId, at],
  );
  if (claimed.length === 0) throw new SenderNumberTaken(phoneNumber);
}
