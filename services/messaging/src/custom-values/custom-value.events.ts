import { eventTypeGuard, type WireEventOf } from '@textplane/contracts';

const customValueEventTypes = [
  'messaging.CustomValueSet.v1',
  'messaging.CustomValueDeleted.v1',
  'messaging.CustomValueRequestRejected.v1',
] as const;

export type CustomValueEventType = (typeof customValueEventTypes)[number];

/** The facts of one business-wide custom value, in its stream `custom-value-<tenantId>-<key>`. */
export type CustomValueEvent = WireEventOf<CustomValueEventType>;

export const isCustomValueEventType = eventTypeGuard(customValueEventTypes);

export function customValueStreamId(tenantId: string, key: string): string {
  return `custom-value-${tenantId}-${key}`;
}

export const CUSTOM_VALUE_STREAM_TYPE = 'custom-value';
