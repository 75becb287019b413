import { MergeFieldRenderer } from '@textplane/merge-fields';
import { describe, expect, it } from 'vitest';
import { CustomValuesApplication } from '../custom-values/custom-values.application.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { ApiError } from '../problems/api-error.js';
import { TemplatesApplication } from './templates.application.js';

const tenant: AuthenticatedTenant = {
  tenantId: '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c12',
  keyId: '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c13',
};
const appended: string[] = [];
const store = {
  append: (streamId: string) => {
    appended.push(streamId);
    return Promise.resolve({ nextVersion: 1, events: [] });
  },
};
const none = () => Promise.resolve(null);
const templates = new TemplatesApplication(
  store,
  {
    template: none,
    version: none,
    list: () => Promise.resolve({ templates: [], more: false }),
    outcome: none,
  },
  {
    contact: none,
    list: () => Promise.resolve({ contacts: [], more: false }),
    lastMessageAt: none,
  },
  { all: () => Promise.resolve({}) },
  { find: none },
  { run: () => Promise.reject(new Error('a refused request must not reach the store')) },
  { waitFor: none },
  new MergeFieldRenderer(),
  { now: () => new Date('2026-11-26T12:00:00.000Z') },
  0,
);
const values = new CustomValuesApplication(
  store,
  {
    value: none,
    list: () => Promise.resolve({ values: [], more: false }),
    all: () => Promise.resolve({}),
    outcome: none,
  },
  { waitFor: none },
  { now: () => new Date('2026-11-26T12:00:00.000Z') },
  0,
);

async function fieldOf(work: () => Promise<unknown>): Promise<string | undefined> {
  const error = await work().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  expect((error as ApiError).kind).toBe('invalid_request');
  return (error as ApiError).violations[0]?.field;
}

describe('template and custom value routes refuse bad input by name, recording nothing', () => {
  const id = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c34';
  it.each([
    ['no kind', () => templates.create(tenant, { name: 'a', body: 'b' }, undefined), 'kind'],
    [
      'an unknown kind',
      () => templates.create(tenant, { kind: 'memo', name: 'a', body: 'b' }, undefined),
      'kind',
    ],
    [
      'a blank name',
      () => templates.create(tenant, { kind: 'snippet', name: ' ', body: 'b' }, undefined),
      'name',
    ],
    [
      'an unknown purpose',
      () =>
        templates.create(
          tenant,
          { kind: 'snippet', name: 'a', body: 'b', purpose: 'spam' },
          undefined,
        ),
      'purpose',
    ],
    [
      'a media URL that is not http(s)',
      () =>
        templates.create(
          tenant,
          { kind: 'snippet', name: 'a', body: 'b', mediaUrls: ['ftp://x/y'] },
          undefined,
        ),
      'mediaUrls/0',
    ],
    [
      'a syntax error',
      () =>
        templates.create(
          tenant,
          { kind: 'snippet', name: 'a', body: '{{ contact.first_name' },
          undefined,
        ),
      'body',
    ],
    [
      'an unknown variable',
      () =>
        templates.create(
          tenant,
          { kind: 'snippet', name: 'a', body: '{{ shop.name }}' },
          undefined,
        ),
      'body',
    ],
    [
      'a kind in a PUT',
      () => templates.revise(tenant, id, { kind: 'snippet', name: 'a', body: 'b' }),
      'kind',
    ],
    ['a template id that is not a UUID', () => templates.get(tenant, 'abc'), 'id'],
    ['a version that is not a number', () => templates.version(tenant, id, '0'), 'version'],
    ['a page size out of range', () => templates.list(tenant, { limit: 101 }), 'limit'],
    ['a blank q', () => templates.list(tenant, { limit: 10, q: ' ' }), 'q'],
    ['a cursor not issued', () => templates.list(tenant, { limit: 10, cursor: 'abc' }), 'cursor'],
    [
      'a preview contact id that breaks the pattern',
      () => templates.preview(tenant, id, { contactId: 'a b' }),
      'contactId',
    ],
    ['a custom value key with capitals', () => values.set(tenant, 'Offer', { value: 'x' }), 'key'],
    [
      'a custom value over 1,000 characters',
      () => values.set(tenant, 'offer', { value: 'x'.repeat(1001) }),
      'value',
    ],
    [
      'a custom value that is not a string',
      () => values.set(tenant, 'offer', { value: 1 }),
      'value',
    ],
    ['a custom value deletion with a bad key', () => values.delete(tenant, '9lives'), 'key'],
  ])('%s', async (_name, work, field) => {
    const named = await fieldOf(work);
    expect(named?.replace(/^\//, '').replaceAll('.', '/')).toBe(field);
    expect(appended).toEqual([]);
  });
});
