import type { TenantComplianceProfile, TenantSettings } from '@textplane/contracts';
import type { DataSource } from 'typeorm';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { hashApiKey } from './api-keys.js';

export interface TenantRecord {
  id: string;
  name: string;
  brandName: string;
  timeZone: string;
  defaultSender: string;
  senderNumbers: string[];
  /** The tenant's compliance settings; what is left out takes the defaults. */
  compliance: TenantComplianceProfile;
  /** The tenant's settings (`/v1/settings`) as it set them; what is left out takes the defaults. */
  settings?: TenantSettings;
  createdAt: string;
}

interface TenantRow {
  id: string;
  name: string;
  brand_name: string;
  time_zone: string;
  default_sender: string;
  sender_numbers: string[];
  compliance: TenantComplianceProfile | null;
  settings: TenantSettings;
  created_at: Date;
}

const CACHE_TTL_MS = 30_000;
/** Unknown keys are remembered only briefly: a key issued on another replica works at once. */
const NEGATIVE_CACHE_TTL_MS = 1_000;
const CACHE_LIMIT = 10_000;

/**
 * Reads tenants and authenticates API keys from the gateway's read model. Lookups are cached
 * briefly: a hot send path should not pay a query per request for data that rarely changes.
 */
export class TenantDirectory {
  private readonly keys = new Map<
    string,
    { tenant: AuthenticatedTenant | null; expires: number }
  >();
  private readonly tenants = new Map<string, { tenant: TenantRecord | null; expires: number }>();

  constructor(private readonly dataSource: DataSource) {}

  async authenticate(apiKey: string): Promise<AuthenticatedTenant | null> {
    const hash = hashApiKey(apiKey);
    const cached = this.keys.get(hash);
    if (cached && cached.expires > Date.now()) return cached.tenant;
    const rows = await this.dataSource.query<Array<{ tenant_id: string; key_id: string }>>(
      `SELECT tenant_id, key_id FROM api_keys WHERE key_hash = $1`,
      [hash],
    );
    const row = rows[0];
    const tenant = row ? { tenantId: row.tenant_id, keyId: row.key_id } : null;
    remember(this.keys, hash, {
      tenant,
      expires: Date.now() + (tenant ? CACHE_TTL_MS : NEGATIVE_CACHE_TTL_MS),
    });
    return tenant;
  }

  async find(tenantId: string): Promise<TenantRecord | null> {
    const cached = this.tenants.get(tenantId);
    if (cached && cached.expires > Date.now()) return cached.tenant;
    const rows = await this.dataSource.query<TenantRow[]>(
      `SELECT t.*, ARRAY(SELECT s.phone_number FROM sender_numbers s WHERE s.tenant_id = t.id
                          ORDER BY s.added_at, s.phone_number) AS sender_numbers
         FROM tenants t WHERE t.id = $1`,
      [tenantId],
    );
    const row = rows[0];
    const tenant: TenantRecord | null = row
      ? {
          id: row.id,
          name: row.name,
          brandName: row.brand_name,
          timeZone: row.time_zone,
          defaultSender: row.default_sender,
          senderNumbers: row.sender_numbers,
          compliance: row.compliance ?? {},
          settings: row.settings,
          createdAt: row.created_at.toISOString(),
        }
      : null;
    remember(this.tenants, tenantId, { tenant, expires: Date.now() + CACHE_TTL_MS });
    return tenant;
  }

  /** Forget cached lookups after a tenant or one of its keys changed. */
  invalidate(tenantId: string, keyHash?: string): void {
    this.tenants.delete(tenantId);
    if (keyHash) this.keys.delete(keyHash);
  }
}

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
}
