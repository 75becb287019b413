import type { ContactRecord, ContactRejectionReason } from '@textplane/contracts';
import type { ContactCommand } from './contact.commands.js';
import type { ContactEvent } from './contact.events.js';

/**
 * One contact. `version` counts its changes (upserts and deletions) and goes on counting after a
 * deletion, so an `If-Match` from before the deletion never matches the contact made again.
 */
export type ContactState =
  | { status: 'none'; version: 0 }
  | { status: 'active'; version: number; contact: ContactRecord }
  | { status: 'deleted'; version: number };

export const initialState: ContactState = { status: 'none', version: 0 };

function rejection(
  command: ContactCommand,
  reason: ContactRejectionReason,
  state: ContactState,
): ContactEvent {
  return {
    type: 'messaging.ContactRequestRejected.v1',
    data: {
      tenantId: command.tenantId,
      contactId: command.contactId,
      requestId: command.requestId,
      reason,
      currentVersion: state.status === 'active' ? state.version : null,
      requestedAt: command.requestedAt.toISOString(),
      rejectedAt: command.now.toISOString(),
    },
  };
}

/** Why an `If-Match` refuses the request, or null when it holds (or none was given). */
function preconditionFailure(
  command: ContactCommand,
  state: ContactState,
): ContactRejectionReason | null {
  if (command.expectedVersion === undefined) return null;
  if (state.status !== 'active') return 'not_found';
  return command.expectedVersion === state.version ? null : 'version_mismatch';
}

export function decide(command: ContactCommand, state: ContactState): ContactEvent[] {
  const failure = preconditionFailure(command, state);
  if (failure) return [rejection(command, failure, state)];
  switch (command.type) {
    case 'UpsertContact':
      return [
        {
          type: 'messaging.ContactUpserted.v1',
          data: {
            tenantId: command.tenantId,
            contactId: command.contactId,
            version: state.version + 1,
            contact: command.contact,
            created: state.status !== 'active',
            ...(command.imported === true ? {} : { requestId: command.requestId }),
            upsertedAt: command.now.toISOString(),
          },
        },
      ];
    case 'DeleteContact':
      if (state.status !== 'active') return [rejection(command, 'not_found', state)];
      return [
        {
          type: 'messaging.ContactDeleted.v1',
          data: {
            tenantId: command.tenantId,
            contactId: command.contactId,
            version: state.version + 1,
            requestId: command.requestId,
            deletedAt: command.now.toISOString(),
          },
        },
      ];
  }
}

export function evolve(state: ContactState, event: ContactEvent): ContactState {
  switch (event.type) {
    case 'messaging.ContactUpserted.v1':
      return { status: 'active', version: event.data.version, contact: event.data.contact };
    case 'messaging.ContactDeleted.v1':
      return { status: 'deleted', version: event.data.version };
    // A refusal changes nothing.
    case 'messaging.ContactRequestRejected.v1':
      return state;
  }
}
