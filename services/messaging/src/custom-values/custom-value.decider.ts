import type { CustomValueCommand } from './custom-value.commands.js';
import type { CustomValueEvent } from './custom-value.events.js';

/** One custom value; `version` counts its changes and goes on counting after a deletion. */
export type CustomValueState =
  { status: 'none'; version: number } | { status: 'set'; version: number; value: string };

export const initialState: CustomValueState = { status: 'none', version: 0 };

export function decide(command: CustomValueCommand, state: CustomValueState): CustomValueEvent[] {
  const { tenantId, key, requestId } = command;
  switch (command.type) {
    case 'SetCustomValue':
      return [
        {
          type: 'messaging.CustomValueSet.v1',
          data: {
            tenantId,
            key,
            value: command.value,
            version: state.version + 1,
            created: state.status === 'none',
            requestId,
            setAt: command.now.toISOString(),
          },
        },
      ];
    case 'DeleteCustomValue':
      if (state.status === 'none') {
        return [
          {
            type: 'messaging.CustomValueRequestRejected.v1',
            data: {
              tenantId,
              key,
              requestId,
              reason: 'not_found',
              requestedAt: command.requestedAt.toISOString(),
              rejectedAt: command.now.toISOString(),
            },
          },
        ];
      }
      return [
        {
          type: 'messaging.CustomValueDeleted.v1',
          data: {
            tenantId,
            key,
            version: state.version + 1,
            requestId,
            deletedAt: command.now.toISOString(),
          },
        },
      ];
  }
}

export function evolve(state: CustomValueState, event: CustomValueEvent): CustomValueState {
  switch (event.type) {
    case 'messaging.CustomValueSet.v1':
      return { status: 'set', version: event.data.version, value: event.data.value };
    case 'messaging.CustomValueDeleted.v1':
      return { status: 'none', version: event.data.version };
    // A refusal changes nothing.
    case 'messaging.CustomValueRequestRejected.v1':
      return state;
  }
}
