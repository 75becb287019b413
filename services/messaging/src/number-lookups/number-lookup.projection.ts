import type { LineType, NumberLookupFailureReason, RecipientCarrier } from '@textplane/contracts';
import { lockKeys } from '@textplane/event-store';
import type { EntityManager } from 'typeorm';
import {
  evolveKnownNumber,
  isNumberLookupEventType,
  type KnownNumber,
  NUMBER_LOOKUP_STREAM_TYPE,
  type NumberLookupEvent,
} from './known-number.js';

interface KnownNumberRow {
  phone_number: string;
  line_type: LineType | null;
  carrier: RecipientCarrier | null;
  carrier_name: string | null;
  looked_up_at: Date | null;
  failure_reason: NumberLookupFailureReason | null;
  failure_detail: string | null;
  failed_at: Date | null;
}

const COLUMNS = `phone_number, line_type, carrier, carrier_name, looked_up_at, failure_reason,
  failure_detail, failed_at`;

function knownNumberOf(row: KnownNumberRow): KnownNumber {
  return {
    phoneNumber: row.phone_number,
    lookup:
      row.line_type !== null && row.carrier !== null && row.looked_up_at !== null
        ? {
            lineType: row.line_type,
            carrier: row.carrier,
            carrierName: row.carrier_name,
            lookedUpAt: new Date(row.looked_up_at),
          }
        : null,
    failure:
      row.failure_reason !== null && row.failed_at !== null
        ? {
            reason: row.failure_reason,
            detail: row.failure_detail ?? '',
            failedAt: new Date(row.failed_at),
          }
        : null,
  };
}

/**
 * The advisory lock of a number's lookup: the gating transaction takes it shared before it reads
 * what is known of its recipients, the recording transaction exclusive. So a message never
 * waits for a lookup that was recorded (and woke its waiters) between the gate's read and its
 * wait's commit: the recording waits for that commit (and then wakes it), or the read sees it.
 */
export function numberLookupLockKey(phoneNumber: string): string {
  return `number-lookup:${phoneNumber}`;
}

/** What messaging knows of these numbers (absent: nothing), read in the caller's transaction. */
export async function knownNumbersOf(
  manager: EntityManager,
  phoneNumbers: readonly string[],
): Promise<Map<string, KnownNumber>> {
  if (phoneNumbers.length === 0) return new Map();
  const rows = await manager.query<KnownNumberRow[]>(
    `SELECT ${COLUMNS} FROM number_lookups WHERE phone_number = ANY($1::text[])`,
    [[...new Set(phoneNumbers)]],
  );
  return new Map(rows.map((row) => [row.phone_number, knownNumberOf(row)]));
}

/** knownNumbersOf, under the numbers' shared lookup locks (see numberLookupLockKey). */
export async function lockedKnownNumbersOf(
  manager: EntityManager,
  phoneNumbers: readonly string[],
): Promise<Map<string, KnownNumber>> {
  const unique = [...new Set(phoneNumbers)].sort();
  await lockKeys(manager, unique.map(numberLookupLockKey), 'shared');
  return knownNumbersOf(manager, unique);
}

/**
 * number_lookups, messaging's cache of lookups: one row per number, written only here, by
 * evolveKnownNumber over the number's events (inline where they are recorded, and by a rebuild
 * from the stored events, in stream order).
 */
export class NumberLookupProjection {
  async apply(manager: EntityManager, event: NumberLookupEvent): Promise<KnownNumber> {
    const phone = event.data.phoneNumber;
    const before = (await knownNumbersOf(manager, [phone])).get(phone) ?? null;
    const after = evolveKnownNumber(before, event);
    await manager.query(
      `INSERT INTO number_lookups (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (phone_number) DO UPDATE SET
         line_type = EXCLUDED.line_type, carrier = EXCLUDED.carrier,
         carrier_name = EXCLUDED.carrier_name, looked_up_at = EXCLUDED.looked_up_at,
         failure_reason = EXCLUDED.failure_reason, failure_detail = EXCLUDED.failure_detail,
         failed_at = EXCLUDED.failed_at`,
      [
        after.phoneNumber,
        after.lookup?.lineType ?? null,
        after.lookup?.carrier ?? null,
        after.lookup?.carrierName ?? null,
        after.lookup?.lookedUpAt.toISOString() ?? null,
        after.failure?.reason ?? null,
        after.failure?.detail ?? null,
        after.failure?.failedAt.toISOString() ?? null,
      ],
    );
    return after;
  }
}

/**
 * number_lookups rebuilt from the stored events (a rebuild plan's `store`, in global order): the
 * messaging rebuild calls it in its target transaction.
 */
export async function rebuildNumberLookups(
  manager: EntityManager,
  stored: ReadonlyArray<{ streamType: string; type: string; data: unknown }>,
): Promise<void> {
  const projection = new NumberLookupProjection();
  for (const event of stored) {
    if (event.streamType !== NUMBER_LOOKUP_STREAM_TYPE || !isNumberLookupEventType(event.type)) {
      continue;
    }
    await projection.apply(manager, { type: event.type, data: event.data } as NumberLookupEvent);
  }
}
