import type { ContactRecord } from '@textplane/contracts';
import { deciderSpecification } from '@textplane/testing';
import { describe, it } from 'vitest';
import type { ContactCommand } from './contact.commands.js';
import { type ContactState, decide, evolve, initialState } from './contact.decider.js';
import type { ContactEvent } from './contact.events.js';

const given = deciderSpecification<ContactCommand, ContactEvent, ContactState>({
  decide,
  evolve,
  initialState,
});

const tenantId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c12';
const contactId = 'crm-42';
const requestId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c99';
const now = new Date('2026-11-26T12:00:00.000Z');
const requestedAt = new Date('2026-11-26T11:59:59.000Z');
const ana: ContactRecord = {
  phone: '+15555550123',
  firstName: 'Ana',
  tags: ['vip'],
  customFields: {},
};
const bo: ContactRecord = {
  phone: '+15555550124',
  firstName: 'Bo',
  tags: [],
  customFields: { seats: 3 },
};

function upsert(contact: ContactRecord, expectedVersion?: number): ContactCommand {
  return {
    type: 'UpsertContact',
    tenantId,
    contactId,
    requestId,
    contact,
    ...(expectedVersion !== undefined ? { expectedVersion } : {}),
    requestedAt,
    now,
  };
}

function remove(expectedVersion?: number): ContactCommand {
  return {
    type: 'DeleteContact',
    tenantId,
    contactId,
    requestId,
    ...(expectedVersion !== undefined ? { expectedVersion } : {}),
    requestedAt,
    now,
  };
}

function upserted(version: number, contact: ContactRecord, created: boolean): ContactEvent {
  return {
    type: 'messaging.ContactUpserted.v1',
    data: {
      tenantId,
      contactId,
      version,
      contact,
      created,
      requestId,
      upsertedAt: now.toISOString(),
    },
  };
}

function deleted(version: number): ContactEvent {
  return {
    type: 'messaging.ContactDeleted.v1',
    data: { tenantId, contactId, version, requestId, deletedAt: now.toISOString() },
  };
}

function rejected(
  reason: 'version_mismatch' | 'not_found',
  currentVersion: number | null,
): ContactEvent {
  return {
    type: 'messaging.ContactRequestRejected.v1',
    data: {
      tenantId,
      contactId,
      requestId,
      reason,
      currentVersion,
      requestedAt: requestedAt.toISOString(),
      rejectedAt: now.toISOString(),
    },
  };
}

describe('contact decider', () => {
  it('creates a contact at version 1', () => {
    given([])
      .when(upsert(ana))
      .then([upserted(1, ana, true)]);
  });

  it('upserts an import row without naming a request (no API call waits for it)', () => {
    const command: ContactCommand = {
      type: 'UpsertContact',
      tenantId,
      contactId,
      requestId,
      contact: ana,
      imported: true,
      requestedAt,
      now,
    };
    given([])
      .when(command)
      .then([
        {
          type: 'messaging.ContactUpserted.v1',
          data: {
            tenantId,
            contactId,
            version: 1,
            contact: ana,
            created: true,
            upsertedAt: now.toISOString(),
          },
        },
      ]);
  });

  it('replaces the contact as a whole at the next version', () => {
    given([upserted(1, ana, true)])
      .when(upsert(bo))
      .then([upserted(2, bo, false)]);
  });

  it('replaces when If-Match names the stored version', () => {
    given([upserted(1, ana, true), upserted(2, bo, false)])
      .when(upsert(ana, 2))
      .then([upserted(3, ana, false)]);
  });

  it('refuses a stale If-Match with the stored version, changing nothing', () => {
    given([upserted(1, ana, true), upserted(2, bo, false)])
      .when(upsert(ana, 1))
      .then([rejected('version_mismatch', 2)]);
  });

  it('refuses an If-Match on a contact that does not exist', () => {
    given([])
      .when(upsert(ana, 1))
      .then([rejected('not_found', null)]);
  });

  it('a refusal leaves the version where it was', () => {
    given([upserted(1, ana, true), rejected('version_mismatch', 1)])
      .when(upsert(bo))
      .then([upserted(2, bo, false)]);
  });

  it('deletes a contact at the next version', () => {
    given([upserted(1, ana, true)])
      .when(remove())
      .then([deleted(2)]);
  });

  it('refuses to delete a contact that is not there', () => {
    given([])
      .when(remove())
      .then([rejected('not_found', null)]);
    given([upserted(1, ana, true), deleted(2)])
      .when(remove())
      .then([rejected('not_found', null)]);
  });

  it('refuses a delete with a stale If-Match', () => {
    given([upserted(1, ana, true), upserted(2, bo, false)])
      .when(remove(1))
      .then([rejected('version_mismatch', 2)]);
  });

  it('a contact made again after a deletion goes on counting, so an old If-Match never matches', () => {
    given([upserted(1, ana, true), deleted(2)])
      .when(upsert(bo))
      .then([upserted(3, bo, true)]);
    given([upserted(1, ana, true), deleted(2)])
      .when(upsert(bo, 1))
      .then([rejected('not_found', null)]);
  });
});
