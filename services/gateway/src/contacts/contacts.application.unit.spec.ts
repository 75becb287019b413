import { noConsent } from '@textplane/compliance';
import type { NewEvent } from '@textplane/event-store';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../problems/api-error.js';
import type { ContactOutcomeRow } from './contact-row.js';
import {
  ContactsApplication,
  contactRequestStreamId,
  encodeContactCursor,
  expectedVersionOf,
} from './contacts.application.js';

const tenant = { tenantId: '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c12', keyId: 'k' };
const now = new Date('2026-11-26T12:00:00.000Z');

/** The application over fakes: what it appends, and messaging's answer as given. */
function application(answer: (requestId: string) => Partial<ContactOutcomeRow> | null) {
  const appended: Array<{ streamId: string; events: NewEvent[] }> = [];
  const listed: unknown[] = [];
  const app = new ContactsApplication(
    {
      append: (streamId, _type, _expected, events) => {
        appended.push({ streamId, events });
        return Promise.resolve({ nextVersion: appended.length, events: [] });
      },
    },
    {
      contact: () => Promise.resolve(null),
      list: (_tenantId, filter) => {
        listed.push(filter);
        return Promise.resolve({ contacts: [], more: false });
      },
      outcome: () => Promise.resolve(null),
      lastMessageAt: () => Promise.resolve(null),
    },
    { standing: () => Promise.resolve(noConsent), openReviewCount: () => Promise.resolve(0) },
    { authenticate: () => Promise.resolve(tenant) },
    {
      waitFor: (_tenantId, requestId) => {
        const row = answer(requestId);
        return Promise.resolve(
          row === null ? null : ({ request_id: requestId, ...row } as ContactOutcomeRow),
        );
      },
    },
    { now: () => now },
    0,
  );
  return { app, appended, listed };
}

describe('If-Match', () => {
  it.each([
    ['"1"', 1],
    [' "42" ', 42],
    [undefined, undefined],
  ])('%s names version %s', (header, version) => {
    expect(expectedVersionOf(header)).toBe(version);
  });

  it.each(['1', 'W/"1"', '"0"', '"01"', '*', '"1", "2"', '"abc"', '"1234567890"'])(
    '%s is refused naming If-Match',
    (header) => {
      expect(() => expectedVersionOf(header)).toThrowError(ApiError);
      try {
        expectedVersionOf(header);
      } catch (error) {
        expect((error as ApiError).violations[0]?.field).toBe('If-Match');
      }
    },
  );
});

describe('contacts application', () => {
  const ana = { phone: '+15555550123', firstName: 'Ana' };

  it('records the request on the contact’s request stream with its expected version', async () => {
    const { app, appended } = application(() => null);
    const outcome = await app.upsert(tenant, 'crm-1', ana, 3);
    expect(outcome).toMatchObject({ status: 'pending', contactId: 'crm-1' });
    expect(appended.map((a) => a.streamId)).toEqual([
      contactRequestStreamId(tenant.tenantId, 'crm-1'),
    ]);
    expect(appended[0]?.events[0]).toMatchObject({
      type: 'gateway.ContactUpsertRequested.v1',
      data: {
        tenantId: tenant.tenantId,
        contactId: 'crm-1',
        expectedVersion: 3,
        contact: { phone: '+15555550123', firstName: 'Ana', tags: [], customFields: {} },
        requestedAt: now.toISOString(),
      },
    });
  });

  it('a refused stale write is 412 version_mismatch; If-Match on no contact 412; a DELETE of none 404', async () => {
    const stale = application(() => ({
      type: 'messaging.ContactRequestRejected.v1',
      reason: 'version_mismatch',
      current_version: 4,
    })).app;
    await expect(stale.upsert(tenant, 'crm-1', ana, 3)).rejects.toMatchObject({
      kind: 'precondition_failed',
      code: 'version_mismatch',
    });
    const none = application(() => ({
      type: 'messaging.ContactRequestRejected.v1',
      reason: 'not_found',
      current_version: null,
    })).app;
    await expect(none.upsert(tenant, 'crm-1', ana, 3)).rejects.toMatchObject({
      kind: 'precondition_failed',
      code: 'contact_not_found',
    });
    await expect(none.delete(tenant, 'crm-1', undefined)).rejects.toMatchObject({
      kind: 'not_found',
    });
    await expect(none.delete(tenant, 'crm-1', 2)).rejects.toMatchObject({
      kind: 'precondition_failed',
    });
  });

  it('bad input records nothing', async () => {
    const { app, appended } = application(() => null);
    await expect(app.upsert(tenant, 'crm 1', ana, undefined)).rejects.toBeInstanceOf(ApiError);
    await expect(app.upsert(tenant, 'crm-1', { phone: '+1555' }, undefined)).rejects.toBeInstanceOf(
      ApiError,
    );
    await expect(app.delete(tenant, 'crm/1', undefined)).rejects.toBeInstanceOf(ApiError);
    expect(appended).toEqual([]);
  });

  it('lists after the cursor’s contact, refusing one it did not issue or bad filters by name', async () => {
    const { app, listed } = application(() => null);
    await app.list(tenant, { limit: 10, cursor: encodeContactCursor('crm-9'), q: ' Ana ' });
    expect(listed).toEqual([{ after: 'crm-9', limit: 10, q: 'Ana' }]);
    const field = (promise: Promise<unknown>) =>
      promise.then(
        () => null,
        (error: unknown) => (error as ApiError).violations[0]?.field,
      );
    expect(await field(app.list(tenant, { limit: 10, cursor: 'crm-9' }))).toBe('cursor');
    expect(await field(app.list(tenant, { limit: 101 }))).toBe('limit');
    expect(await field(app.list(tenant, { limit: 10, tag: ' ' }))).toBe('tag');
    expect(await field(app.list(tenant, { limit: 10, q: 'x'.repeat(201) }))).toBe('q');
    // A NUL (which Postgres cannot compare against text) or a lone surrogate is refused, not sent.
    expect(await field(app.list(tenant, { limit: 10, q: 'Ana\u0000' }))).toBe('q');
    expect(await field(app.list(tenant, { limit: 10, tag: '\ud800' }))).toBe('tag');
    expect(await field(app.list(tenant, { limit: 10, phone: '+1555' }))).toBe('phone');
  });
});
