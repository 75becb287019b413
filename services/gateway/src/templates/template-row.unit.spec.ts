import { describe, expect, it } from 'vitest';
import {
  evolveTemplateRow,
  type TemplateFact,
  templateOutcomeOf,
  versionRowOf,
} from './template-row.js';

const tenantId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c12';
const templateId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c34';
const requestId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c99';
const content = { name: 'A', body: 'Hi', mediaUrls: [], warnings: [] };
const created: TemplateFact = {
  type: 'messaging.TemplateCreated.v1',
  data: {
    tenantId,
    templateId,
    kind: 'template',
    version: 1,
    ...content,
    requestId,
    createdAt: '2026-11-26T12:00:00.000Z',
  },
};
const revised: TemplateFact = {
  type: 'messaging.TemplateRevised.v1',
  data: {
    tenantId,
    templateId,
    version: 2,
    ...content,
    body: 'Hello',
    purpose: 'marketing',
    revisedAt: '2026-11-26T12:01:00.000Z',
  },
};
const archived: TemplateFact = {
  type: 'messaging.TemplateArchived.v1',
  data: { tenantId, templateId, version: 2, requestId, archivedAt: '2026-11-26T12:02:00.000Z' },
};

describe('template read model rows', () => {
  it('created, revised and archived, each step from the last', () => {
    const one = evolveTemplateRow(null, created);
    expect(one).toMatchObject({ version: 1, body: 'Hi', purpose: null, archived_at: null });
    const two = evolveTemplateRow(one, revised);
    expect(two).toMatchObject({
      version: 2,
      body: 'Hello',
      purpose: 'marketing',
      created_at: '2026-11-26T12:00:00.000Z',
    });
    expect(evolveTemplateRow(two, archived)).toMatchObject({
      version: 2,
      archived_at: '2026-11-26T12:02:00.000Z',
    });
  });

  it('a redelivered or older fact changes nothing', () => {
    const two = evolveTemplateRow(evolveTemplateRow(null, created), revised);
    expect(evolveTemplateRow(two, revised)).toBe(two);
    expect(evolveTemplateRow(two, created)).toBe(two);
    const gone = evolveTemplateRow(two, archived);
    expect(evolveTemplateRow(gone, archived)).toBe(gone);
  });

  it('each saved version is a version row; outcomes only for facts naming a request', () => {
    expect(versionRowOf(created)).toMatchObject({ version: 1, body: 'Hi' });
    expect(versionRowOf(revised)).toMatchObject({
      version: 2,
      body: 'Hello',
      created_at: '2026-11-26T12:01:00.000Z',
    });
    expect(versionRowOf(archived)).toBeNull();
    expect(templateOutcomeOf(created)).toMatchObject({
      request_id: requestId,
      version: 1,
      created: true,
    });
    expect(templateOutcomeOf(revised)).toBeNull();
  });
});
