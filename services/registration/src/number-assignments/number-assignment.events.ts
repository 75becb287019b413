import { eventTypeGuard, type WireEventOf } from '@textplane/contracts';

const numberAssignmentEventTypes = [
  'registration.NumberAssignmentStarted.v1',
  'registration.NumberAssignmentSubmitted.v1',
  'registration.NumberAssigned.v1',
  'registration.NumberAssignmentFailed.v1',
  'registration.NumberUnassignmentStarted.v1',
  'registration.NumberUnassignmentSubmitted.v1',
  'registration.NumberUnassigned.v1',
  'registration.NumberUnassignmentFailed.v1',
  'registration.RegistrationRequestRejected.v1',
] as const;

export type NumberAssignmentEventType = (typeof numberAssignmentEventTypes)[number];

/**
 * The facts of one tenant number's campaign assignment and of its removal, in its stream
 * `number-assignment-<tenantId>-<phone>`: one stream per number, so a number is never being
 * assigned to two campaigns at once, nor assigned while its removal is under way.
 */
export type NumberAssignmentEvent = WireEventOf<NumberAssignmentEventType>;

export const isNumberAssignmentEventType = eventTypeGuard(numberAssignmentEventTypes);

export function numberAssignmentStreamId(tenantId: string, phoneNumber: string): string {
  return `number-assignment-${tenantId}-${phoneNumber}`;
}

export const NUMBER_ASSIGNMENT_STREAM_TYPE = 'number-assignment';
