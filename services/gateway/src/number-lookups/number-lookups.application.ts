import type { DataSource } from 'typeorm';
import { requirePhone } from '../consents/consents.application.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { ApiError } from '../problems/api-error.js';
import {
  NUMBER_LOOKUP_COLUMNS,
  numberLookupRowOf,
  type SelectedNumberLookupRow,
} from './number-lookup.projection.js';
import { type NumberLookupResource, numberLookupResourceOf } from './number-lookup-record.js';

/**
 * `GET /v1/numbers/{phone}/lookup`: what messaging's number validation learned of a number
 * (number_lookups). A lookup is a fact of the number, shared by every tenant that texts it; a
 * tenant is shown it only for a number it has a conversation with (texted it, or was texted by
 * it), so no tenant learns which numbers another texts.
 */
export class NumberLookupQueries {
  constructor(private readonly dataSource: DataSource) {}

  async lookup(tenant: AuthenticatedTenant, phone: string): Promise<NumberLookupResource> {
    const phoneNumber = requirePhone(phone);
    const rows = await this.dataSource.query<SelectedNumberLookupRow[]>(
      `SELECT ${NUMBER_LOOKUP_COLUMNS} FROM number_lookups l
       WHERE l.phone_number = $2
         AND EXISTS (SELECT 1 FROM conversations c WHERE c.tenant_id = $1 AND c.phone = $2)`,
      [tenant.tenantId, phoneNumber],
    );
    const row = rows[0];
    if (!row) throw ApiError.notFound(`Nothing is known of the number ${phoneNumber}`);
    return numberLookupResourceOf(numberLookupRowOf(row));
  }
}
