import { randomUUID } from 'node:crypto';
import { type ConsentStanding, noConsent } from '@textplane/compliance';
import type { DataSource } from 'typeorm';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { createTestTenant } from '../../test/tenant-fixture.js';

/**
 * The bulk-send int specs' throughput fixture (a helper, no tests; `.spec.ts` keeps it out of
 * the build): a tenant whose sender is a registered long code with the operator's limit
 * overrides, and traffic queued ahead of a bulk send in the messages read model.
 */

/** A long code no other spec's tenant owns (a 312 area code: a US 10DLC sender). */
export function newLongCode(): string {
  return `+1312${String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0')}`;
}

const on = { sms: true, mms: true };
const marketing: ConsentStanding = {
  ...noConsent,
  grants: { marketing: on, transactional: on },
  updatedAt: '2026-11-02T00:00:00.000Z',
};

export interface RegisteredTenant {
  tenant: AuthenticatedTenant;
  sender: string;
  contactIds: string[];
}

/**
 * A tenant whose one sender is a long code assigned to an approved MARKETING campaign of a brand
 * vetted 90 (AT&T's top class, T-Mobile's top tier), as the trust projection holds them, with
 * the operator's overrides `limits` (settings.throughputLimits), and `count` contacts with
 * marketing consent (contact ids p0000…, phones +13057000000…).
 */
export async function registeredTenant(
  dataSource: DataSource,
  count: number,
  limits: object,
  now: Date,
  options: { stickyOnly?: boolean } = {},
): Promise<RegisteredTenant> {
  const sender = newLongCode();
  // stickyOnly: the tenant's default sender is an (unregistered) toll-free number, the long code
  // a second sender number that each contact last had a conversation with.
  const { tenant } = await createTestTenant(
    dataSource,
    options.stickyOnly === true ? {} : { sender },
  );
  if (options.stickyOnly === true) {
    await dataSource.query(
      `INSERT INTO sender_numbers (phone_number, tenant_id, added_at) VALUES ($1, $2, $3)`,
      [sender, tenant.tenantId, now],
    );
    await dataSource.query(
      `INSERT INTO conversations (tenant_id, phone, sender_number, last_message, last_message_id,
         last_activity_at, unread, unread_count)
       SELECT $1, '+1305' || (7000000 + n)::text, $2, '{}'::jsonb, gen_random_uuid(), $4,
         '[]'::jsonb, 0
       FROM generate_series(0, $3::integer - 1) AS n`,
      [tenant.tenantId, sender, count, now],
    );
  }
  await dataSource.query(`UPDATE tenants SET settings = $2::jsonb WHERE id = $1`, [
    tenant.tenantId,
    JSON.stringify({ throughputLimits: limits }),
  ]);
  const brandId = randomUUID();
  const campaignId = randomUUID();
  await dataSource.query(
    `INSERT INTO trust_brands (brand_id, tenant_id, request_id, details, status, vetting_score,
       reasons, errors, history, created_at, updated_at, stream_version)
     VALUES ($1, $2, $3, $4::jsonb, 'approved', 90, '[]', '[]', '[]', $5, $5, 1)`,
    [brandId, tenant.tenantId, randomUUID(), JSON.stringify({ entityType: 'PRIVATE_PROFIT' }), now],
  );
  await dataSource.query(
    `INSERT INTO trust_campaigns (campaign_id, tenant_id, brand_id, request_id, details, status,
       carrier_accepted, stream_version, reasons, errors, history, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5::jsonb, 'approved', true, 1, '[]', '[]', '[]', $6, $6)`,
    [
      campaignId,
      tenant.tenantId,
      brandId,
      randomUUID(),
      JSON.stringify({ brandId, usecase: 'MARKETING' }),
      now,
    ],
  );
  await dataSource.query(
    `INSERT INTO trust_campaign_numbers (request_id, campaign_id, phone_number, tenant_id, status,
       reasons, errors, history, requested_at, updated_at)
     VALUES ($1, $2, $3, $4, 'approved', '[]', '[]', '[]', $5, $5)`,
    [randomUUID(), campaignId, sender, tenant.tenantId, now],
  );
  await dataSource.query(
    `INSERT INTO contacts (tenant_id, contact_id, version, phone, first_name, tags, custom_fields, updated_at)
     SELECT $1, 'p' || lpad(n::text, 4, '0'), 1, '+1305' || (7000000 + n)::text, 'Pat', '{}',
       '{}'::jsonb, $3
     FROM generate_series(0, $2::integer - 1) AS n`,
    [tenant.tenantId, count, now],
  );
  await dataSource.query(
    `INSERT INTO consent_standings (tenant_id, phone, standing, updated_at)
     SELECT $1, '+1305' || (7000000 + n)::text, $3::jsonb, $4
     FROM generate_series(0, $2::integer - 1) AS n`,
    [tenant.tenantId, count, JSON.stringify(marketing), now],
  );
  const contactIds = Array.from({ length: count }, (_, i) => `p${String(i).padStart(4, '0')}`);
  return { tenant, sender, contactIds };
}

/**
 * `count` outbound messages from `sender` queued for their throughput turn, created at
 * `createdAt`: of another bulk send of the tenant (`bulkSendId`, or a new row in `bulk_sends`,
 * running), or single messages (`bulk: false`).
 */
export async function queueAhead(
  dataSource: DataSource,
  tenant: AuthenticatedTenant,
  sender: string,
  count: number,
  createdAt: Date,
  options: { bulk?: boolean; bulkSendId?: string } = {},
): Promise<void> {
  let bulkSendId: string | null = options.bulkSendId ?? null;
  if (bulkSendId === null && (options.bulk ?? true)) {
    bulkSendId = randomUUID();
    await dataSource.query(
      `INSERT INTO bulk_sends (bulk_send_id, tenant_id, status, message, delivery, recipients,
         sendable, duplicate_phone, missing_merge_value, batches, batches_released, next_batch_at,
         stream_version, requests_pending, created_at, updated_at)
       VALUES ($1, $2, 'running', $3::jsonb, '{"mode":"now"}'::jsonb, $4, $4, 0, 0, 1, 1, NULL,
         2, 0, $5, $5)`,
      [
        bulkSendId,
        tenant.tenantId,
        JSON.stringify({ body: 'Hi', mediaUrls: [], purpose: 'marketing' }),
        count,
        createdAt,
      ],
    );
  }
  await dataSource.query(
    `INSERT INTO messages (id, tenant_id, direction, status, to_number, from_number, contact_phone,
       body, media_urls, purpose, encoding, segments, created_at, updated_at, bulk_send_id,
       waiting_for)
     SELECT gen_random_uuid(), $1, 'outbound', 'queued', '+1305' || lpad(n::text, 7, '0'), $2,
       '+1305' || lpad(n::text, 7, '0'), 'Hi', '[]'::jsonb, 'marketing', 'GSM-7', 1, $3, $3, $4,
       'throughput'
     FROM generate_series(1, $5::integer) AS n`,
    [tenant.tenantId, sender, createdAt, bulkSendId, count],
  );
}

/** The limits the bench and e2e tenants run with (tools/dev UNBOUND_LIMITS): none binds. */
export const UNBOUND = {
  attPerMinute: { sms: 1_000_000, mms: 1_000_000 },
  tMobilePerDay: 1_000_000_000,
  tollFreePerNumberPerSecond: 100_000,
  accountPerSecond: { sms: 100_000, mms: 100_000 },
};
