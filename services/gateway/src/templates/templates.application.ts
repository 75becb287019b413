import { complianceAdditions } from '@textplane/compliance';
import type {
  ContactFieldValue,
  EventDataByType,
  MessagePurpose,
  TemplateKind,
} from '@textplane/contracts';
import type { EventStore } from '@textplane/event-store';
import {
  ContactValueSummary,
  type ContactFields,
  type MergeFieldError,
  type MergeFieldRenderer,
  type MergeVariable,
  type TemplateError,
} from '@textplane/merge-fields';
import { currentTraceparent } from '@textplane/observability';
import { requireFilterText } from '../http/filter-text.js';
import { countSegments } from '@textplane/segments';
import type { Clock } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { ContactQueries } from '../contacts/contact-read-model.js';
import type { ContactResource } from '../contacts/contact.resource.js';
import type { CustomValueQueries } from '../custom-values/custom-value-read-model.js';
import { validateRequest } from '../http/request-validator.js';
import {
  type IdempotencyStore,
  requestHash,
  tenantScope,
} from '../idempotency/idempotency-store.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { ApiError, echoed } from '../problems/api-error.js';
import type { TenantRecord } from '../tenants/tenant-directory.js';
import type { TemplateConfirmations } from './template-confirmations.js';
import { decodeCursor, encodeCursor } from './template-cursor.js';
import { lintTemplate } from './template-lint.js';
import type { TemplateOutcomeRow } from './template-outcomes.js';
import type { TemplateQueries } from './template-read-model.js';
import type {
  ContactTemplatePreview,
  TemplateArchiveOutcome,
  TemplatePage,
  TemplateRangePreview,
  TemplateResource,
  TemplateVersionResource,
  TemplateWriteOutcome,
} from './template.resource.js';

export const TEMPLATE_REQUEST_STREAM_TYPE = 'template-request';
export const TEMPLATE_PAGE_SIZE = { default: 50, max: 100 } as const;
/** Contacts read per page while summing up the tenant's values for the worst/best case. */
const PREVIEW_CONTACT_PAGE = 500;
const MAX_SEARCH_LENGTH = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function templateRequestStreamId(tenantId: string, templateId: string): string {
  return `template-requests-${tenantId}-${templateId}`;
}

export function templateLocation(templateId: string): string {
  return `/v1/templates/${templateId}`;
}

export function requireTemplateId(id: string, field = 'id'): string {
  if (!UUID.test(id)) {
    throw ApiError.invalid(`The template id ${echoed(id)} is not valid`, [
      { field, message: 'must be a template id (a UUID)' },
    ]);
  }
  return id.toLowerCase();
}

interface TemplateInput {
  kind: TemplateKind;
  name: string;
  body: string;
  purpose?: MessagePurpose;
  mediaUrls?: string[];
}

export interface TemplateListQuery {
  kind?: string;
  q?: string;
  cursor?: string;
  limit: number;
}

/** The template use cases REST and gRPC share. */
export interface TemplateApi {
  create(
    tenant: AuthenticatedTenant,
    body: unknown,
    idempotencyKey: string | undefined,
  ): Promise<TemplateWriteOutcome>;
  revise(tenant: AuthenticatedTenant, id: string, body: unknown): Promise<TemplateWriteOutcome>;
  get(tenant: AuthenticatedTenant, id: string): Promise<TemplateResource>;
  version(
    tenant: AuthenticatedTenant,
    id: string,
    version: string,
  ): Promise<TemplateVersionResource>;
  list(tenant: AuthenticatedTenant, query: TemplateListQuery): Promise<TemplatePage>;
  archive(tenant: AuthenticatedTenant, id: string): Promise<TemplateArchiveOutcome>;
  preview(
    tenant: AuthenticatedTenant,
    id: string,
    body: unknown,
  ): Promise<ContactTemplatePreview | TemplateRangePreview>;
}

/** A body the merge-field check refuses: 400 `invalid_template`, every problem with its position. */
export function invalidTemplate(errors: readonly TemplateError[], field = 'body'): ApiError {
  const first = errors[0];
  const where = first ? ` at line ${first.line}, column ${first.column}: ${first.message}` : '';
  return new ApiError(
    'invalid_request',
    'invalid_template',
    `The body is not a valid template${where}`,
    errors.map((error) => ({
      field,
      message: `line ${error.line}, column ${error.column}: ${error.reason}: ${error.message}`,
    })),
  );
}

function mergeFieldProblem(error: MergeFieldError): ApiError {
  if (error.code === 'invalid_template') return invalidTemplate([error]);
  return new ApiError(
    'unprocessable',
    'missing_merge_value',
    `${error.variable} has no value and no default (line ${error.line}, column ${error.column})`,
    [{ field: error.variable, message: 'has no value for this recipient and no default' }],
  );
}

function fieldValue(value: ContactFieldValue): string | number | boolean {
  return typeof value === 'object' ? value.date : value;
}

/** A contact as merge fields see it. */
export function mergeFieldsOf(contact: ContactResource): ContactFields {
  return {
    firstName: contact.firstName,
    lastName: contact.lastName,
    email: contact.email,
    phone: contact.phone,
    companyName: contact.companyName,
    customFields: Object.fromEntries(
      Object.entries(contact.customFields).map(([key, value]) => [key, fieldValue(value)]),
    ),
  };
}

/**
 * Templates and snippets through the API. Messaging owns them: a save is checked here (the
 * merge-field check refuses a syntax error or unknown variable with its position, recording
 * nothing; the compliance linter adds warnings), recorded as a request, and answered once
 * messaging's fact is projected; past the confirmation timeout the answer is "pending" (202).
 * Previews render from the gateway's read models (contacts, custom values, the tenant's brand).
 */
export class TemplatesApplication implements TemplateApi {
  constructor(
    private readonly store: Pick<EventStore, 'append'>,
    private readonly queries: TemplateQueries,
    private readonly contacts: Pick<ContactQueries, 'contact' | 'list' | 'lastMessageAt'>,
    private readonly customValues: Pick<CustomValueQueries, 'all'>,
    private readonly tenants: { find(tenantId: string): Promise<TenantRecord | null> },
    private readonly idempotency: Pick<IdempotencyStore, 'run'>,
    private readonly confirmations: TemplateConfirmations,
    private readonly mergeFields: MergeFieldRenderer,
    private readonly clock: Clock,
    private readonly confirmTimeoutMs: number,
  ) {}

  async create(
    tenant: AuthenticatedTenant,
    body: unknown,
    idempotencyKey: string | undefined,
  ): Promise<TemplateWriteOutcome> {
    const input = validateRequest<TemplateInput>('CreateTemplateRequest', body);
    const variables = this.checkBody(input.body);
    const profile = await this.profileOf(tenant);
    const content = {
      name: input.name,
      body: input.body,
      ...(input.purpose !== undefined ? { purpose: input.purpose } : {}),
      mediaUrls: input.mediaUrls ?? [],
      warnings: lintTemplate({
        ...input,
        purpose: input.purpose,
        variables,
        brandName: profile.brandName,
      }),
    };
    const result = await this.idempotency.run(
      tenantScope(tenant.tenantId, 'POST /v1/templates'),
      idempotencyKey,
      requestHash(input),
      async (manager) => {
        const templateId = uuidv7();
        const requestId = await this.append(tenant, templateId, manager, (id, requestedAt) => ({
          type: 'gateway.TemplateCreationRequested.v1',
          data: {
            requestId: id,
            tenantId: tenant.tenantId,
            templateId,
            kind: input.kind,
            ...content,
            requestedAt,
          },
        }));
        return { statusCode: 202, body: { templateId, requestId } };
      },
    );
    const { templateId, requestId } = result.body as { templateId: string; requestId: string };
    return this.answer(tenant, templateId, requestId, result.replayed);
  }

  async revise(
    tenant: AuthenticatedTenant,
    id: string,
    body: unknown,
  ): Promise<TemplateWriteOutcome> {
    const templateId = requireTemplateId(id);
    const input = validateRequest<Omit<TemplateInput, 'kind'>>('UpdateTemplateRequest', body);
    const variables = this.checkBody(input.body);
    const current = await this.queries.template(tenant.tenantId, templateId);
    if (!current) throw ApiError.notFound(`Template ${templateId} not found`);
    const profile = await this.profileOf(tenant);
    const requestId = await this.append(tenant, templateId, undefined, (rid, requestedAt) => ({
      type: 'gateway.TemplateRevisionRequested.v1',
      data: {
        requestId: rid,
        tenantId: tenant.tenantId,
        templateId,
        name: input.name,
        body: input.body,
        ...(input.purpose !== undefined ? { purpose: input.purpose } : {}),
        mediaUrls: input.mediaUrls ?? [],
        warnings: lintTemplate({
          kind: current.kind,
          body: input.body,
          purpose: input.purpose,
          variables,
          brandName: profile.brandName,
        }),
        requestedAt,
      },
    }));
    return this.answer(tenant, templateId, requestId, false);
  }

  async get(tenant: AuthenticatedTenant, id: string): Promise<TemplateResource> {
    const templateId = requireTemplateId(id);
    const template = await this.queries.template(tenant.tenantId, templateId);
    if (!template) throw ApiError.notFound(`Template ${templateId} not found`);
    return template;
  }

  async version(
    tenant: AuthenticatedTenant,
    id: string,
    version: string,
  ): Promise<TemplateVersionResource> {
    const templateId = requireTemplateId(id);
    if (!/^[1-9][0-9]{0,8}$/.test(version)) {
      throw ApiError.invalid(`The version ${echoed(version)} is not valid`, [
        { field: 'version', message: 'must be a version number (1 or more)' },
      ]);
    }
    const found = await this.queries.version(tenant.tenantId, templateId, Number(version));
    if (!found) throw ApiError.notFound(`Template ${templateId} has no version ${version}`);
    return found;
  }

  async list(tenant: AuthenticatedTenant, query: TemplateListQuery): Promise<TemplatePage> {
    const { limit } = query;
    if (!Number.isInteger(limit) || limit < 1 || limit > TEMPLATE_PAGE_SIZE.max) {
      throw ApiError.invalid('The page size is not valid', [
        { field: 'limit', message: `must be an integer from 1 to ${TEMPLATE_PAGE_SIZE.max}` },
      ]);
    }
    if (query.kind !== undefined && query.kind !== 'template' && query.kind !== 'snippet') {
      throw ApiError.invalid(`The kind filter ${echoed(query.kind)} is not valid`, [
        { field: 'kind', message: 'must be template or snippet' },
      ]);
    }
    const q = requireFilterText(query.q, 'q', MAX_SEARCH_LENGTH);
    const after = decodeCursor('template', query.cursor, (value) => UUID.test(value));
    const page = await this.queries.list(tenant.tenantId, {
      ...(query.kind !== undefined ? { kind: query.kind } : {}),
      ...(q !== undefined ? { q } : {}),
      after,
      limit,
    });
    const last = page.templates.at(-1);
    return {
      items: page.templates,
      nextCursor: page.more && last ? encodeCursor('template', last.id) : null,
    };
  }

  async archive(tenant: AuthenticatedTenant, id: string): Promise<TemplateArchiveOutcome> {
    const templateId = requireTemplateId(id);
    const requestId = await this.append(tenant, templateId, undefined, (rid, requestedAt) => ({
      type: 'gateway.TemplateArchivalRequested.v1',
      data: { requestId: rid, tenantId: tenant.tenantId, templateId, requestedAt },
    }));
    const row = await this.confirmations.waitFor(tenant.tenantId, requestId, this.confirmTimeoutMs);
    if (!row) return { status: 'pending', requestId, templateId };
    if (row.type === 'messaging.TemplateArchived.v1') return { status: 'archived', templateId };
    throw refusal(templateId, row);
  }

  /**
   * With `contactId`: the text that contact would get, compliance additions included (the brand
   * when nothing was sent to the number yet, opt-out language on marketing). Without: the best
   * and worst case over the tenant's contacts (the brand counted in the worst case only).
   */
  async preview(
    tenant: AuthenticatedTenant,
    id: string,
    body: unknown,
  ): Promise<ContactTemplatePreview | TemplateRangePreview> {
    const input = validateRequest<{ contactId?: string }>('PreviewTemplateRequest', body ?? {});
    const template = await this.get(tenant, id);
    const profile = await this.profileOf(tenant);
    const customValues = await this.customValues.all(tenant.tenantId);
    const purpose = template.purpose ?? 'conversational';
    const business = { name: profile.brandName };
    const now = this.clock.now();
    const withAdditions = (text: string, firstMessageToContact: boolean) =>
      complianceAdditions({
        body: text,
        brandName: profile.brandName,
        purpose,
        firstMessageToContact,
      });

    if (input.contactId !== undefined) {
      const contact = await this.contacts.contact(tenant.tenantId, input.contactId);
      if (!contact) throw ApiError.notFound(`Contact ${input.contactId} not found`);
      const rendered = this.mergeFields.render(template.body, {
        contact: mergeFieldsOf(contact),
        customValues,
        business,
        timeZone: contact.timeZone ?? profile.timeZone,
        now,
      });
      if (!rendered.ok) throw mergeFieldProblem(rendered.error);
      const first = (await this.contacts.lastMessageAt(tenant.tenantId, contact.phone)) === null;
      const sent = withAdditions(rendered.text, first);
      const count = countSegments(sent.body);
      return {
        text: sent.body,
        added: sent.added,
        encoding: count.encoding,
        segments: count.segments,
        characters: count.characters,
      };
    }

    const validation = this.mergeFields.validate(template.body);
    if (!validation.ok) throw invalidTemplate(validation.errors);
    const keys = validation.variables.filter((v) => v.root === 'contact').map((v) => v.key);
    const summary = new ContactValueSummary(keys);
    if (keys.length > 0) await this.summarise(tenant.tenantId, summary);
    const range = (firstMessageToContact: boolean) => {
      const result = this.mergeFields.preview(template.body, {
        contacts: summary,
        customValues,
        business,
        timeZone: profile.timeZone,
        now,
        additions: (text) => withAdditions(text, firstMessageToContact).body,
      });
      if (!result.ok) throw mergeFieldProblem(result.error);
      return result;
    };
    // The brand goes on a first message only: the worst case has it, the best case not.
    return { best: range(false).best, worst: range(true).worst, contacts: summary.contacts };
  }

  /** Streams the tenant's contacts page by page into the summary (extremes only are kept). */
  private async summarise(tenantId: string, summary: ContactValueSummary): Promise<void> {
    let after: string | null = null;
    for (;;) {
      const page = await this.contacts.list(tenantId, { after, limit: PREVIEW_CONTACT_PAGE });
      for (const contact of page.contacts) summary.add(mergeFieldsOf(contact));
      const last = page.contacts.at(-1);
      if (!page.more || !last) return;
      after = last.id;
    }
  }

  private checkBody(body: string): readonly MergeVariable[] {
    const validation = this.mergeFields.validate(body);
    if (!validation.ok) throw invalidTemplate(validation.errors);
    return validation.variables;
  }

  private async profileOf(tenant: AuthenticatedTenant): Promise<TenantRecord> {
    const profile = await this.tenants.find(tenant.tenantId);
    if (!profile) throw ApiError.unauthenticated('The tenant of this API key no longer exists');
    return profile;
  }

  private async answer(
    tenant: AuthenticatedTenant,
    templateId: string,
    requestId: string,
    replayed: boolean,
  ): Promise<TemplateWriteOutcome> {
    const row = await this.confirmations.waitFor(tenant.tenantId, requestId, this.confirmTimeoutMs);
    if (!row) return { status: 'pending', requestId, templateId, replayed };
    if (
      row.type !== 'messaging.TemplateCreated.v1' &&
      row.type !== 'messaging.TemplateRevised.v1'
    ) {
      throw refusal(templateId, row);
    }
    const template = await this.queries.template(tenant.tenantId, templateId);
    if (!template) throw new Error(`Template ${templateId} was saved but is not in the read model`);
    return { status: 'saved', template, replayed };
  }

  private async append(
    tenant: AuthenticatedTenant,
    templateId: string,
    manager: EntityManager | undefined,
    eventOf: (requestId: string, requestedAt: string) => TemplateRequestEvent,
  ): Promise<string> {
    const requestId = uuidv7();
    const event = eventOf(requestId, this.clock.now().toISOString());
    const traceparent = currentTraceparent();
    await this.store.append(
      templateRequestStreamId(tenant.tenantId, templateId),
      TEMPLATE_REQUEST_STREAM_TYPE,
      'any',
      [
        {
          type: event.type,
          data: event.data,
          metadata: {
            tenantId: tenant.tenantId,
            correlationId: requestId,
            ...(traceparent ? { traceparent } : {}),
          },
        },
      ],
      ...(manager ? [manager] : []),
    );
    return requestId;
  }
}

type TemplateRequestEvent = {
  [
    K in
      | 'gateway.TemplateCreationRequested.v1'
      | 'gateway.TemplateRevisionRequested.v1'
      | 'gateway.TemplateArchivalRequested.v1'
  ]: { type: K; data: EventDataByType[K] };
}[
  | 'gateway.TemplateCreationRequested.v1'
  | 'gateway.TemplateRevisionRequested.v1'
  | 'gateway.TemplateArchivalRequested.v1'];

/** Messaging refused the request: no such template (404), or an archived one (409). */
function refusal(templateId: string, row: TemplateOutcomeRow): ApiError {
  if (row.reason === 'archived') {
    return new ApiError(
      'conflict',
      'template_archived',
      `Template ${templateId} is archived: it can no longer change (its versions stay readable)`,
    );
  }
  if (row.reason === 'not_found') return ApiError.notFound(`Template ${templateId} not found`);
  throw new Error(
    `Unexpected outcome ${row.type} (${row.reason ?? ''}) for template ${templateId}`,
  );
}
