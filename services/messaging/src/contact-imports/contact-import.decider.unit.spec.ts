import { deciderSpecification } from '@textplane/testing';
import { describe, it } from 'vitest';
import {
  type ContactImportCommand,
  type ContactImportEvent,
  type ContactImportState,
  decide,
  evolve,
  initialState,
} from './contact-import.decider.js';

const given = deciderSpecification<ContactImportCommand, ContactImportEvent, ContactImportState>({
  decide,
  evolve,
  initialState,
});

const tenantId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c12';
const importId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c13';
const now = new Date('2026-11-26T12:00:00.000Z');
const conflict = {
  row: 7,
  reason: 'version_mismatch',
  message: 'contact crm-7 was not upserted: version_mismatch',
};

function record(
  chunk: number,
  upserted: number,
  rejected = [] as (typeof conflict)[],
): ContactImportCommand {
  return { type: 'RecordChunkOutcome', tenantId, importId, chunk, upserted, rejected, now };
}

function processed(
  chunk: number,
  upserted: number,
  rejected = [] as (typeof conflict)[],
): ContactImportEvent {
  return {
    type: 'messaging.ContactImportChunkProcessed.v1',
    data: { importId, tenantId, chunk, upserted, rejected, processedAt: now.toISOString() },
  };
}

describe('contact import decider', () => {
  it('answers a chunk with its upserted count and rejected rows', () => {
    given([])
      .when(record(0, 999, [conflict]))
      .then([processed(0, 999, [conflict])]);
  });

  it('answers each chunk of an import on its own', () => {
    given([processed(0, 1000)])
      .when(record(1, 10))
      .then([processed(1, 10)]);
  });

  it('says nothing of a chunk already answered (a redelivery)', () => {
    given([processed(0, 1000), processed(1, 10)])
      .when(record(0, 1000))
      .then([]);
  });
});
