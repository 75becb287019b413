import type { TemplateKind, TemplateRejectionReason } from '@textplane/contracts';
import type { TemplateCommand } from './template.commands.js';
import type { TemplateEvent } from './template.events.js';

/** One template or snippet: `version` is its latest; archived ones can no longer change. */
export type TemplateState =
  { status: 'none' } | { status: 'active' | 'archived'; kind: TemplateKind; version: number };

export const initialState: TemplateState = { status: 'none' };

function rejection(command: TemplateCommand, reason: TemplateRejectionReason): TemplateEvent {
  return {
    type: 'messaging.TemplateRequestRejected.v1',
    data: {
      tenantId: command.tenantId,
      templateId: command.templateId,
      requestId: command.requestId,
      reason,
      requestedAt: command.requestedAt.toISOString(),
      rejectedAt: command.now.toISOString(),
    },
  };
}

export function decide(command: TemplateCommand, state: TemplateState): TemplateEvent[] {
  const { tenantId, templateId, requestId } = command;
  switch (command.type) {
    case 'CreateTemplate':
      // The gateway names a fresh id: a second creation under it is another request's.
      if (state.status !== 'none') return [rejection(command, 'already_exists')];
      return [
        {
          type: 'messaging.TemplateCreated.v1',
          data: {
            tenantId,
            templateId,
            kind: command.kind,
            version: 1,
            ...command.content,
            requestId,
            createdAt: command.now.toISOString(),
          },
        },
      ];
    case 'ReviseTemplate':
      if (state.status === 'none') return [rejection(command, 'not_found')];
      if (state.status === 'archived') return [rejection(command, 'archived')];
      return [
        {
          type: 'messaging.TemplateRevised.v1',
          data: {
            tenantId,
            templateId,
            version: state.version + 1,
            ...command.content,
            requestId,
            revisedAt: command.now.toISOString(),
          },
        },
      ];
    case 'ArchiveTemplate':
      if (state.status === 'none') return [rejection(command, 'not_found')];
      if (state.status === 'archived') return [rejection(command, 'archived')];
      return [
        {
          type: 'messaging.TemplateArchived.v1',
          data: {
            tenantId,
            templateId,
            version: state.version,
            requestId,
            archivedAt: command.now.toISOString(),
          },
        },
      ];
  }
}

export function evolve(state: TemplateState, event: TemplateEvent): TemplateState {
  switch (event.type) {
    case 'messaging.TemplateCreated.v1':
      return { status: 'active', kind: event.data.kind, version: 1 };
    case 'messaging.TemplateRevised.v1':
      return state.status === 'none' ? state : { ...state, version: event.data.version };
    case 'messaging.TemplateArchived.v1':
      return state.status === 'none' ? state : { ...state, status: 'archived' };
    // A refusal changes nothing.
    case 'messaging.TemplateRequestRejected.v1':
      return state;
  }
}
