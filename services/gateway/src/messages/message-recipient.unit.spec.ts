import { MergeFieldRenderer } from '@textplane/merge-fields';
import { describe, expect, it } from 'vitest';
import type { ContactResource } from '../contacts/contact.resource.js';
import { ApiError } from '../problems/api-error.js';
import { mergeFieldsOf, recipientOf, renderedBody } from './message-recipient.js';

const tenantId = '0193a1b2-0000-7000-8000-0000000000a1';
const contact: ContactResource = {
  id: 'crm:42',
  version: 3,
  phone: '+15555550142',
  firstName: 'Ann',
  lastName: null,
  email: null,
  companyName: null,
  timeZone: 'America/Denver',
  tags: [],
  customFields: {
    plan: 'gold',
    renewal: { date: '2026-04-01' },
    seen: { date: '2026-03-05T01:30:00.000Z' },
  },
  updatedAt: '2026-11-26T12:00:00.000Z',
};
const contacts = {
  contact: (tenant: string, id: string) =>
    Promise.resolve(tenant === tenantId && id === contact.id ? contact : null),
};
const render = (body: string) =>
  renderedBody(body, {
    renderer: new MergeFieldRenderer(),
    contact,
    businessName: 'Acme',
    timeZone: 'America/Denver',
    now: new Date('2026-11-26T15:00:00Z'),
  });

async function refusal(work: () => unknown): Promise<ApiError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('recipientOf', () => {
  it('is the contact and its phone for a contactId, the number for a to, nothing for neither', async () => {
    await expect(recipientOf(contacts, tenantId, { contactId: 'crm:42' })).resolves.toEqual({
      to: '+15555550142',
      contact,
    });
    await expect(recipientOf(contacts, tenantId, { to: '+15555550199' })).resolves.toEqual({
      to: '+15555550199',
      contact: null,
    });
    await expect(recipientOf(contacts, tenantId, {})).resolves.toBeNull();
  });

  it('refuses to and contactId together with a 400 naming both', async () => {
    const error = await refusal(() =>
      recipientOf(contacts, tenantId, { to: '+15555550199', contactId: 'crm:42' }),
    );
    expect(error.kind).toBe('invalid_request');
    expect(error.violations.map((v) => v.field)).toEqual(['to', 'contactId']);
  });

  it('refuses a contact of no one (or of another tenant) with 422 contact_not_found', async () => {
    const error = await refusal(() =>
      recipientOf(contacts, '0193a1b2-0000-7000-8000-0000000000b2', { contactId: 'crm:42' }),
    );
    expect([error.kind, error.code, error.violations[0]?.field]).toEqual([
      'unprocessable',
      'contact_not_found',
      'contactId',
    ]);
  });
});

describe('renderedBody', () => {
  it('renders contact fields, custom fields (dates as dates) and the business name', () => {
    expect(
      render(
        'Hi {{ contact.first_name }}, {{ contact.plan }} renews {{ contact.renewal | date: "%b %-d" }} at {{ business.name }}',
      ),
    ).toBe('Hi Ann, gold renews Apr 1 at Acme');
    expect(mergeFieldsOf(contact).customFields?.['seen']).toEqual(
      new Date('2026-03-05T01:30:00.000Z'),
    );
  });

  it('is deterministic: now comes from the clock given', () => {
    expect(render('{{ "now" | date: "%Y-%m-%d %H:%M" }}')).toBe('2026-11-26 08:00');
  });

  it('maps a missing value to 422 missing_merge_value naming the variable', async () => {
    const error = await refusal(() => render('Hi {{ contact.last_name }}'));
    expect([error.kind, error.code, error.violations[0]?.field]).toEqual([
      'unprocessable',
      'missing_merge_value',
      'contact.last_name',
    ]);
    expect(error.detail).toContain('line 1, column 4');
  });

  it.each([
    ['Hi {{ contact.first_name', 'syntax'],
    ['Hi\n {{ crm.first_name }}', 'unknown_variable'],
  ])('maps %j to 400 invalid_template with line and column', async (body, reason) => {
    const error = await refusal(() => render(body));
    expect([error.kind, error.code, error.violations[0]?.field]).toEqual([
      'invalid_request',
      'invalid_template',
      'body',
    ]);
    expect(error.violations[0]?.message).toMatch(new RegExp(`^line \\d+, column \\d+: ${reason}`));
  });
});
