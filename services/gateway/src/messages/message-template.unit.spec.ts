import { describe, expect, it } from 'vitest';
import type { TemplateResource, TemplateVersionResource } from '../templates/template.resource.js';
import { ApiError } from '../problems/api-error.js';
import { requireOneContent, templateContentOf, type TemplateLookup } from './message-template.js';

const tenantId = '0193a1b2-0000-7000-8000-00000000000a';
const templateId = '0193a1b2-0000-7000-8000-0000000000aa';

const latest: TemplateResource = {
  id: templateId,
  kind: 'template',
  name: 'Welcome',
  body: 'v3 {{ contact.first_name }}',
  purpose: 'marketing',
  mediaUrls: ['https://cdn.example.com/v3.jpg'],
  version: 3,
  warnings: [],
  archivedAt: null,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-03T00:00:00.000Z',
};
const versionOne: TemplateVersionResource = {
  id: templateId,
  version: 1,
  name: 'Welcome',
  body: 'v1',
  purpose: null,
  mediaUrls: [],
  warnings: [],
  createdAt: '2026-11-01T00:00:00.000Z',
};

function lookup(template: TemplateResource | null): TemplateLookup {
  return {
    template: (tenant, id) =>
      Promise.resolve(tenant === tenantId && id === templateId ? template : null),
    version: (tenant, id, version) =>
      Promise.resolve(
        tenant === tenantId && id === templateId && version === 1 ? versionOne : null,
      ),
  };
}

async function refusal(work: () => Promise<unknown>): Promise<ApiError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('requireOneContent', () => {
  it('refuses body and templateId together, naming both', () => {
    expect(() => requireOneContent({ body: 'Hi', templateId })).toThrow(
      expect.objectContaining({
        kind: 'invalid_request',
        violations: [
          expect.objectContaining({ field: 'body' }),
          expect.objectContaining({ field: 'templateId' }),
        ],
      }),
    );
  });

  it('refuses templateVersion without templateId, naming it', () => {
    expect(() => requireOneContent({ body: 'Hi', templateVersion: 2 })).toThrow(
      expect.objectContaining({
        kind: 'invalid_request',
        violations: [expect.objectContaining({ field: 'templateVersion' })],
      }),
    );
  });

  it('lets either one through, and neither (media only)', () => {
    expect(() => requireOneContent({ body: 'Hi' })).not.toThrow();
    expect(() => requireOneContent({ templateId, templateVersion: 1 })).not.toThrow();
    expect(() => requireOneContent({})).not.toThrow();
  });
});

describe('templateContentOf', () => {
  it('is nothing without a templateId', async () => {
    expect(await templateContentOf(lookup(latest), tenantId, { body: 'Hi' })).toBeNull();
  });

  it('takes the latest version when none is pinned (an upper-case id too)', async () => {
    expect(
      await templateContentOf(lookup(latest), tenantId, { templateId: templateId.toUpperCase() }),
    ).toEqual({
      templateId,
      templateVersion: 3,
      kind: 'template',
      body: 'v3 {{ contact.first_name }}',
      purpose: 'marketing',
      mediaUrls: ['https://cdn.example.com/v3.jpg'],
    });
  });

  it('takes a pinned older version as it was saved', async () => {
    expect(
      await templateContentOf(lookup(latest), tenantId, { templateId, templateVersion: 1 }),
    ).toMatchObject({ templateVersion: 1, body: 'v1', purpose: null, mediaUrls: [] });
    expect(
      await templateContentOf(lookup(latest), tenantId, { templateId, templateVersion: 3 }),
    ).toMatchObject({ templateVersion: 3, body: 'v3 {{ contact.first_name }}' });
  });

  it('refuses an unknown template (or another tenant’s) with 422 template_not_found', async () => {
    for (const [tenant, id] of [
      [tenantId, '0193a1b2-0000-7000-8000-0000000000bb'],
      ['0193a1b2-0000-7000-8000-00000000000b', templateId],
    ] as const) {
      const error = await refusal(() =>
        templateContentOf(lookup(latest), tenant, { templateId: id }),
      );
      expect(error).toMatchObject({
        kind: 'unprocessable',
        code: 'template_not_found',
        violations: [{ field: 'templateId' }],
      });
    }
  });

  it('refuses a version the template does not have with 422 naming templateVersion', async () => {
    for (const templateVersion of [2, 4, 99]) {
      const error = await refusal(() =>
        templateContentOf(lookup(latest), tenantId, { templateId, templateVersion }),
      );
      expect(error).toMatchObject({
        kind: 'unprocessable',
        code: 'template_version_not_found',
        violations: [{ field: 'templateVersion' }],
      });
    }
  });

  it('refuses an archived template, pinned or not, with 422 template_archived', async () => {
    const gone = { ...latest, archivedAt: '2026-11-04T00:00:00.000Z' };
    for (const pinned of [{}, { templateVersion: 1 }]) {
      const error = await refusal(() =>
        templateContentOf(lookup(gone), tenantId, { templateId, ...pinned }),
      );
      expect(error).toMatchObject({
        kind: 'unprocessable',
        code: 'template_archived',
        violations: [{ field: 'templateId' }],
      });
    }
  });

  it('sends a snippet as it is', async () => {
    const snippet = { ...latest, kind: 'snippet' as const };
    expect(await templateContentOf(lookup(snippet), tenantId, { templateId })).toMatchObject({
      kind: 'snippet',
      templateVersion: 3,
    });
  });
});
