import type { TemplateContent } from '@textplane/contracts';
import { deciderSpecification } from '@textplane/testing';
import { describe, it } from 'vitest';
import type { TemplateCommand } from './template.commands.js';
import { type TemplateState, decide, evolve, initialState } from './template.decider.js';
import type { TemplateEvent } from './template.events.js';

const given = deciderSpecification<TemplateCommand, TemplateEvent, TemplateState>({
  decide,
  evolve,
  initialState,
});

const tenantId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c12';
const templateId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c34';
const requestId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c99';
const now = new Date('2026-11-26T12:00:00.000Z');
const requestedAt = new Date('2026-11-26T11:59:59.000Z');
const first: TemplateContent = {
  name: 'Welcome',
  body: 'Hi {{ contact.first_name }}',
  purpose: 'marketing',
  mediaUrls: [],
  warnings: [{ code: 'no_opt_out_language', message: 'no opt-out' }],
};
const second: TemplateContent = {
  name: 'Welcome v2',
  body: 'Hello {{ contact.first_name | default: "there" }}. Reply STOP to opt out.',
  mediaUrls: ['https://example.com/a.png'],
  warnings: [],
};

const base = { tenantId, templateId, requestId, requestedAt, now };
const create = (content: TemplateContent): TemplateCommand => ({
  type: 'CreateTemplate',
  ...base,
  kind: 'template',
  content,
});
const revise = (content: TemplateContent): TemplateCommand => ({
  type: 'ReviseTemplate',
  ...base,
  content,
});
const archive: TemplateCommand = { type: 'ArchiveTemplate', ...base };

const created: TemplateEvent = {
  type: 'messaging.TemplateCreated.v1',
  data: {
    tenantId,
    templateId,
    kind: 'template',
    version: 1,
    ...first,
    requestId,
    createdAt: now.toISOString(),
  },
};
const revised = (version: number, content: TemplateContent): TemplateEvent => ({
  type: 'messaging.TemplateRevised.v1',
  data: { tenantId, templateId, version, ...content, requestId, revisedAt: now.toISOString() },
});
const archived = (version: number): TemplateEvent => ({
  type: 'messaging.TemplateArchived.v1',
  data: { tenantId, templateId, version, requestId, archivedAt: now.toISOString() },
});
const rejected = (reason: 'not_found' | 'archived' | 'already_exists'): TemplateEvent => ({
  type: 'messaging.TemplateRequestRejected.v1',
  data: {
    tenantId,
    templateId,
    requestId,
    reason,
    requestedAt: requestedAt.toISOString(),
    rejectedAt: now.toISOString(),
  },
});

describe('template decider', () => {
  it('creates a template at version 1 with its content and warnings', () => {
    given([]).when(create(first)).then([created]);
  });

  it('refuses a second creation under the same id', () => {
    given([created])
      .when(create(second))
      .then([rejected('already_exists')]);
  });

  it('revises into the next version, counting from the latest', () => {
    given([created])
      .when(revise(second))
      .then([revised(2, second)]);
    given([created, revised(2, second)])
      .when(revise(first))
      .then([revised(3, first)]);
  });

  it('archives at the latest version', () => {
    given([created, revised(2, second)])
      .when(archive)
      .then([archived(2)]);
  });

  it('refuses to revise or archive a template that does not exist', () => {
    given([])
      .when(revise(second))
      .then([rejected('not_found')]);
    given([])
      .when(archive)
      .then([rejected('not_found')]);
  });

  it('refuses to revise or archive an archived template', () => {
    given([created, archived(1)])
      .when(revise(second))
      .then([rejected('archived')]);
    given([created, archived(1)])
      .when(archive)
      .then([rejected('archived')]);
  });

  it('a refusal changes nothing: the next revision still counts from the latest version', () => {
    given([created, rejected('already_exists')])
      .when(revise(second))
      .then([revised(2, second)]);
  });
});
