import type { ContactRecord } from '@textplane/contracts';
import { describe, expect, it } from 'vitest';
import { type ContactFact, evolveContactRow, outcomeOf } from './contact-row.js';

const tenantId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c12';
const requestId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c99';
const contactId = 'crm-7';
const ana: ContactRecord = {
  phone: '+15555550123',
  firstName: 'Ana',
  timeZone: 'America/Chicago',
  tags: ['vip'],
  customFields: { plan: 'pro', renews_on: { date: '2026-12-24' } },
};

const upserted = (version: number, contact: ContactRecord = ana): ContactFact => ({
  type: 'messaging.ContactUpserted.v1',
  data: {
    tenantId,
    contactId,
    version,
    contact,
    created: version === 1,
    requestId,
    upsertedAt: `2026-11-26T12:0${version}:00.000Z`,
  },
});
const deleted = (version: number): ContactFact => ({
  type: 'messaging.ContactDeleted.v1',
  data: { tenantId, contactId, version, requestId, deletedAt: '2026-11-26T12:09:00.000Z' },
});
const rejected: ContactFact = {
  type: 'messaging.ContactRequestRejected.v1',
  data: {
    tenantId,
    contactId,
    requestId,
    reason: 'version_mismatch',
    currentVersion: 2,
    requestedAt: '2026-11-26T12:00:00.000Z',
    rejectedAt: '2026-11-26T12:00:01.000Z',
  },
};

describe('evolveContactRow', () => {
  it('writes the contact as upserted, absent fields as null', () => {
    expect(evolveContactRow(null, upserted(1))).toEqual({
      tenant_id: tenantId,
      contact_id: contactId,
      version: 1,
      phone: '+15555550123',
      first_name: 'Ana',
      last_name: null,
      email: null,
      company_name: null,
      time_zone: 'America/Chicago',
      tags: ['vip'],
      custom_fields: { plan: 'pro', renews_on: { date: '2026-12-24' } },
      updated_at: '2026-11-26T12:01:00.000Z',
    });
  });

  it('replaces the row as a whole with a newer version', () => {
    const replaced = { phone: '+15555550124', tags: [], customFields: {} };
    const row = evolveContactRow(evolveContactRow(null, upserted(1)), upserted(2, replaced));
    expect(row).toMatchObject({ version: 2, phone: '+15555550124', first_name: null, tags: [] });
  });

  it('never moves a contact back: a fact at or below the row version changes nothing', () => {
    const row = evolveContactRow(null, upserted(3));
    expect(evolveContactRow(row, upserted(2))).toBe(row);
    expect(evolveContactRow(row, upserted(3))).toBe(row);
    expect(evolveContactRow(row, deleted(3))).toBe(row);
  });

  it('a deletion removes the row; a refusal leaves it', () => {
    const row = evolveContactRow(null, upserted(1));
    expect(evolveContactRow(row, deleted(2))).toBeNull();
    expect(evolveContactRow(row, rejected)).toBe(row);
    expect(evolveContactRow(null, rejected)).toBeNull();
  });
});

describe('outcomeOf', () => {
  it('records what each fact answers, by request', () => {
    expect(outcomeOf(upserted(1))).toMatchObject({
      request_id: requestId,
      type: 'messaging.ContactUpserted.v1',
      version: 1,
      created: true,
      contact: ana,
    });
    expect(outcomeOf(deleted(2))).toMatchObject({ version: 2, contact: null, reason: null });
    expect(outcomeOf(rejected)).toMatchObject({
      reason: 'version_mismatch',
      current_version: 2,
      version: null,
    });
  });

  it('a fact no request caused answers nothing', () => {
    const fact: ContactFact = {
      type: 'messaging.ContactUpserted.v1',
      data: {
        tenantId,
        contactId,
        version: 1,
        contact: ana,
        created: true,
        upsertedAt: '2026-11-26T12:00:00.000Z',
      },
    };
    expect(outcomeOf(fact)).toBeNull();
  });
});
