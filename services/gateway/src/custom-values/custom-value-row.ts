import type { WireEventOf } from '@textplane/contracts';
import type { TemplateOutcomeRow } from '../templates/template-outcomes.js';

/** Messaging's custom value facts, the events of `messaging.custom-values`. */
export type CustomValueFact = WireEventOf<
  | 'messaging.CustomValueSet.v1'
  | 'messaging.CustomValueDeleted.v1'
  | 'messaging.CustomValueRequestRejected.v1'
>;

const CUSTOM_VALUE_FACT_TYPES: ReadonlySet<string> = new Set<CustomValueFact['type']>([
  'messaging.CustomValueSet.v1',
  'messaging.CustomValueDeleted.v1',
  'messaging.CustomValueRequestRejected.v1',
]);

export function isCustomValueFact(event: { type: string }): boolean {
  return CUSTOM_VALUE_FACT_TYPES.has(event.type);
}

/** A row of `custom_values`. */
export interface CustomValueRow {
  tenant_id: string;
  key: string;
  value: string;
  version: number;
  updated_at: string;
}

export interface CustomValueResource {
  key: string;
  value: string;
  updatedAt: string;
}

/**
 * The one writer of `custom_values`: `evolve(row | null, event) -> row | null` (null: no value). A
 * fact at or below the row's version changes nothing, so a redelivery cannot move it back.
 */
export function evolveCustomValueRow(
  row: CustomValueRow | null,
  event: CustomValueFact,
): CustomValueRow | null {
  switch (event.type) {
    case 'messaging.CustomValueSet.v1': {
      const d = event.data;
      if (row && row.version >= d.version) return row;
      return {
        tenant_id: d.tenantId,
        key: d.key,
        value: d.value,
        version: d.version,
        updated_at: d.setAt,
      };
    }
    case 'messaging.CustomValueDeleted.v1':
      if (row && row.version >= event.data.version) return row;
      return null;
    // A refusal changes no value: it answers a request.
    case 'messaging.CustomValueRequestRejected.v1':
      return row;
  }
}

/** What a fact answering an API request came to, as its outcome row. */
export function customValueOutcomeOf(event: CustomValueFact): TemplateOutcomeRow | null {
  const d = event.data;
  if (d.requestId === undefined) return null;
  const base = { request_id: d.requestId, tenant_id: d.tenantId, subject: d.key, type: event.type };
  switch (event.type) {
    case 'messaging.CustomValueSet.v1':
      return {
        ...base,
        version: event.data.version,
        created: event.data.created,
        reason: null,
        occurred_at: event.data.setAt,
      };
    case 'messaging.CustomValueDeleted.v1':
      return {
        ...base,
        version: event.data.version,
        created: null,
        reason: null,
        occurred_at: event.data.deletedAt,
      };
    case 'messaging.CustomValueRequestRejected.v1':
      return {
        ...base,
        version: null,
        created: null,
        reason: event.data.reason,
        occurred_at: event.data.rejectedAt,
      };
  }
}

export function customValueResourceOf(row: CustomValueRow): CustomValueResource {
  return { key: row.key, value: row.value, updatedAt: row.updated_at };
}
