import {
  type ContactImportRejectedRow,
  eventTypeGuard,
  type WireEventOf,
} from '@textplane/contracts';

const contactImportEventTypes = ['messaging.ContactImportChunkProcessed.v1'] as const;

/** Messaging's facts of one import, on `contact-import-<tenantId>-<importId>` in its store. */
export type ContactImportEvent = WireEventOf<(typeof contactImportEventTypes)[number]>;
export const isContactImportEventType = eventTypeGuard(contactImportEventTypes);

export const CONTACT_IMPORT_STREAM_TYPE = 'contact-import';

export function contactImportStreamId(tenantId: string, importId: string): string {
  return `contact-import-${tenantId}-${importId}`;
}

/** The chunks of an import already upserted and answered. */
export interface ContactImportState {
  answered: ReadonlySet<number>;
}

export const initialState: ContactImportState = { answered: new Set() };

/** A chunk's rows were decided: record what came of them, once per chunk. */
export interface RecordChunkOutcome {
  type: 'RecordChunkOutcome';
  tenantId: string;
  importId: string;
  chunk: number;
  upserted: number;
  rejected: ContactImportRejectedRow[];
  now: Date;
}

export type ContactImportCommand = RecordChunkOutcome;

export function decide(
  command: ContactImportCommand,
  state: ContactImportState,
): ContactImportEvent[] {
  switch (command.type) {
    case 'RecordChunkOutcome':
      // The chunk was answered already (a redelivery): nothing more to say.
      if (state.answered.has(command.chunk)) return [];
      return [
        {
          type: 'messaging.ContactImportChunkProcessed.v1',
          data: {
            importId: command.importId,
            tenantId: command.tenantId,
            chunk: command.chunk,
            upserted: command.upserted,
            rejected: command.rejected,
            processedAt: command.now.toISOString(),
          },
        },
      ];
  }
}

export function evolve(state: ContactImportState, event: ContactImportEvent): ContactImportState {
  switch (event.type) {
    case 'messaging.ContactImportChunkProcessed.v1':
      return { answered: new Set([...state.answered, event.data.chunk]) };
  }
}
