import { projectionSpecification } from '@textplane/testing';
import { describe, expect, it } from 'vitest';
import {
  type ContactImportEvent,
  type ContactImportJobRow,
  contactImportRejectedRowsOf,
  evolveContactImportJob,
} from './contact-import-job.js';

const given = projectionSpecification<ContactImportJobRow, ContactImportEvent>(
  evolveContactImportJob,
);

const importId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c13';
const tenantId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c12';
const startedAt = '2026-11-26T12:00:00.000Z';
const doneAt = '2026-11-26T12:00:05.000Z';
const badRow = { row: 2, reason: 'invalid_contact', message: 'phone is required', field: 'phone' };
const conflict = { row: 9, reason: 'version_mismatch', message: 'contact crm-9 was not upserted' };

function started(chunks: number, rejectedRows = 1): ContactImportEvent {
  return {
    type: 'gateway.ContactImportStarted.v1',
    data: {
      importId,
      tenantId,
      format: 'csv',
      rowsRead: 2_001,
      rejectedRows,
      submittedRows: 2_000,
      chunks,
      startedAt,
    },
  };
}

function processed(
  chunk: number,
  upserted: number,
  rejected = [] as (typeof conflict)[],
): ContactImportEvent {
  return {
    type: 'messaging.ContactImportChunkProcessed.v1',
    data: { importId, tenantId, chunk, upserted, rejected, processedAt: doneAt },
  };
}

const processing: ContactImportJobRow = {
  import_id: importId,
  tenant_id: tenantId,
  format: 'csv',
  status: 'processing',
  rows_read: 2_001,
  submitted_rows: 2_000,
  upserted: 0,
  rejected: 1,
  chunks: 2,
  processed_chunks: [],
  created_at: startedAt,
  completed_at: null,
};

describe('contact import job (evolve)', () => {
  it('starts processing with the rows read and those rejected here', () => {
    given([
      started(2),
      {
        type: 'gateway.ContactImportRowsRejected.v1',
        data: { importId, tenantId, rows: [badRow] },
      },
      {
        type: 'gateway.ContactImportChunkSubmitted.v1',
        data: { importId, tenantId, chunk: 0, rows: [], requestedAt: startedAt },
      },
    ]).then(processing);
  });

  it('counts each chunk messaging answers and completes with the last', () => {
    given([started(2), processed(1, 999, [conflict])]).then({
      ...processing,
      upserted: 999,
      rejected: 2,
      processed_chunks: [1],
    });
    given([started(2), processed(1, 999, [conflict]), processed(0, 1_000)]).then({
      ...processing,
      status: 'completed',
      upserted: 1_999,
      rejected: 2,
      processed_chunks: [0, 1],
      completed_at: doneAt,
    });
  });

  it('counts a chunk answered twice once', () => {
    given([started(2), processed(0, 1_000), processed(0, 1_000)]).then({
      ...processing,
      upserted: 1_000,
      processed_chunks: [0],
    });
  });

  it('completes at once an import with no valid row', () => {
    given([started(0, 2_001)]).then({
      ...processing,
      status: 'completed',
      rejected: 2_001,
      chunks: 0,
      completed_at: startedAt,
    });
  });

  it('lists the rejected rows of the gateway and of messaging', () => {
    expect(
      contactImportRejectedRowsOf({
        type: 'gateway.ContactImportRowsRejected.v1',
        data: { importId, tenantId, rows: [badRow] },
      }),
    ).toEqual([badRow]);
    expect(contactImportRejectedRowsOf(processed(0, 1, [conflict]))).toEqual([conflict]);
    expect(contactImportRejectedRowsOf(started(1))).toEqual([]);
  });
});
