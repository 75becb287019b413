import type { EntityManager } from 'typeorm';
import type { TenantEvent } from './tenant.events.js';

/** Tenants and their API key hashes, as the gateway reads them to authenticate and route. */
export async function projectTenantEvents(
  manager: EntityManager,
  events: TenantEvent[],
): Promise<void> {
  for (const event of events) {
    switch (event.type) {
      case 'gateway.TenantCreated.v1': {
        const d = event.data;
        await manager.query(
          `INSERT INTO tenants (id, name, brand_name, time_zone, default_sender, sender_numbers, compliance, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            d.tenantId,
            d.name,
            d.brandName,
            d.timeZone,
            d.defaultSender,
            d.senderNumbers,
            d.compliance ? JSON.stringify(d.compliance) : null,
            d.createdAt,
          ],
        );
        break;
      }
      case 'gateway.SenderNumberAdded.v1':
        await manager.query(
          `UPDATE tenants SET sender_numbers = array_append(sender_numbers, $2) WHERE id = $1`,
          [event.data.tenantId, event.data.phoneNumber],
        );
        break;
      case 'gateway.TenantComplianceProfileSet.v1':
        await manager.query(`UPDATE tenants SET compliance = $2 WHERE id = $1`, [
          event.data.tenantId,
          JSON.stringify(event.data.compliance),
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
