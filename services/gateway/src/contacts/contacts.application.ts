import { describeStanding } from '@textplane/compliance';
import { CONTACT_ID_PATTERN, isContactId, parseContact } from '@textplane/contacts';
import { requireFilterText } from '../http/filter-text.js';
import type { ContactRecord, EventDataByType } from '@textplane/contracts';
import type { EventStore } from '@textplane/event-store';
import { currentTraceparent } from '@textplane/observability';
import type { Clock } from '@textplane/service-runtime';
import { v7 as uuidv7 } from 'uuid';
import type { ConsentQueries } from '../consents/consent-read-model.js';
import { requirePhone, type TenantAuthenticator } from '../consents/consents.application.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { ApiError, echoed } from '../problems/api-error.js';
import type { ContactConfirmations } from './contact-confirmations.js';
import type { ContactQueries } from './contact-read-model.js';
import { type ContactOutcomeRow, contactResourceOf } from './contact-row.js';
import type {
  ContactDetailResource,
  ContactPage,
  ContactDeleteOutcome,
  ContactUpsertOutcome,
  PendingContactRequest,
} from './contact.resource.js';

export const CONTACT_REQUEST_STREAM_TYPE = 'contact-request';
export const CONTACT_PAGE_SIZE = { default: 50, max: 100 } as const;
/** Longest `q` and `tag` filter: a tag is at most 64 characters, a name or company 200. */
const MAX_SEARCH_LENGTH = 200;
const MAX_TAG_LENGTH = 64;
const MAX_CURSOR_LENGTH = 256;

/**
 * One contact's requests share a stream, so they reach messaging in the order they were made
 * (the Kafka key is the stream id).
 */
export function contactRequestStreamId(tenantId: string, contactId: string): string {
  return `contact-requests-${tenantId}-${contactId}`;
}

export function contactLocation(contactId: string): string {
  return `/v1/contacts/${encodeURIComponent(contactId)}`;
}

/** `"<version>"`, the contact's ETag. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * The version an `If-Match` names: one strong ETag as this API issues them (`"3"`). A weak tag,
 * a list or `*` is refused: a write must name the one version it replaces.
 */
export function expectedVersionOf(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined) return undefined;
  const match = /^\s*"([1-9][0-9]{0,8})"\s*$/.exec(ifMatch);
  if (!match?.[1]) {
    throw ApiError.invalid(`If-Match ${echoed(ifMatch)} is not a contact version`, [
      { field: 'If-Match', message: 'must be one ETag as this API returns it, e.g. "3"' },
    ]);
  }
  return Number(match[1]);
}

export function requireContactId(contactId: string, field = 'id'): string {
  if (!isContactId(contactId)) {
    throw ApiError.invalid(`The contact id ${echoed(contactId)} is not valid`, [
      { field, message: `must match ${CONTACT_ID_PATTERN}` },
    ]);
  }
  return contactId;
}

/** A list cursor: the last contact id of a page, opaque to callers (base64url JSON). */
export function encodeContactCursor(contactId: string): string {
  return Buffer.from(JSON.stringify(['contact', contactId])).toString('base64url');
}

function contactAfter(cursor: string | undefined): string | null {
  if (cursor === undefined || cursor === '') return null;
  let value: unknown = null;
  if (cursor.length <= MAX_CURSOR_LENGTH && /^[A-Za-z0-9_-]+$/.test(cursor)) {
    try {
      value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      value = null;
    }
  }
  const id: unknown = Array.isArray(value) && value.length === 2 ? value[1] : null;
  if (
    !Array.isArray(value) ||
    value[0] !== 'contact' ||
    typeof id !== 'string' ||
    !isContactId(id) ||
    encodeContactCursor(id) !== cursor
  ) {
    throw new ApiError(
      'invalid_request',
      'invalid_cursor',
      'The cursor is not one this API issued: pass back a page’s next cursor unchanged',
      [{ field: 'cursor', message: 'is not a cursor we issued' }],
    );
  }
  return id;
}

export interface ContactListQuery {
  tag?: string;
  q?: string;
  phone?: string;
  cursor?: string;
  limit: number;
}

/** The contact use cases REST and gRPC share. */
export interface ContactApi {
  authenticate(apiKey: string): Promise<AuthenticatedTenant | null>;
  upsert(
    tenant: AuthenticatedTenant,
    contactId: string,
    body: unknown,
    expectedVersion: number | undefined,
  ): Promise<ContactUpsertOutcome>;
  get(tenant: AuthenticatedTenant, contactId: string): Promise<ContactDetailResource>;
  list(tenant: AuthenticatedTenant, query: ContactListQuery): Promise<ContactPage>;
  delete(
    tenant: AuthenticatedTenant,
    contactId: string,
    expectedVersion: number | undefined,
  ): Promise<ContactDeleteOutcome>;
}

type ContactRequestEvent =
  | {
      type: 'gateway.ContactUpsertRequested.v1';
      data: EventDataByType['gateway.ContactUpsertRequested.v1'];
    }
  | {
      type: 'gateway.ContactDeletionRequested.v1';
      data: EventDataByType['gateway.ContactDeletionRequested.v1'];
    };

/**
 * Contacts through the API. Messaging owns them: a PUT or DELETE is validated here (with
 * `@textplane/contacts`' rules; a refusal records nothing), recorded as a request event in the
 * gateway's store, and answered once messaging's fact comes back through the contact
 * projection, so the answer and a GET right after show the stored contact. Past the
 * confirmation timeout the answer is "pending" (202).
 */
export class ContactsApplication implements ContactApi {
  constructor(
    private readonly store: Pick<EventStore, 'append'>,
    private readonly queries: ContactQueries,
    private readonly consents: Pick<ConsentQueries, 'standing' | 'openReviewCount'>,
    private readonly tenants: TenantAuthenticator,
    private readonly confirmations: ContactConfirmations,
    private readonly clock: Clock,
    private readonly confirmTimeoutMs: number,
  ) {}

  authenticate(apiKey: string): Promise<AuthenticatedTenant | null> {
    return this.tenants.authenticate(apiKey);
  }

  async upsert(
    tenant: AuthenticatedTenant,
    contactId: string,
    body: unknown,
    expectedVersion: number | undefined,
  ): Promise<ContactUpsertOutcome> {
    const parsed = parseContact(contactId, body);
    if (!parsed.ok) throw ApiError.invalid('The contact is not valid', parsed.errors);
    const { id: _id, ...contact } = parsed.contact;
    const record: ContactRecord = contact;
    const outcome = await this.request(tenant, contactId, (requestId, requestedAt) => ({
      type: 'gateway.ContactUpsertRequested.v1',
      data: {
        requestId,
        tenantId: tenant.tenantId,
        contactId,
        contact: record,
        ...(expectedVersion !== undefined ? { expectedVersion } : {}),
        requestedAt,
      },
    }));
    if (outcome.status === 'pending') return outcome;
    const row = outcome.row;
    if (row.type === 'messaging.ContactUpserted.v1' && row.version !== null && row.contact) {
      return {
        status: 'upserted',
        created: row.created === true,
        contact: contactResourceOf(contactId, row.version, row.contact, row.occurred_at),
      };
    }
    throw refusal(contactId, row, expectedVersion);
  }

  async get(tenant: AuthenticatedTenant, contactId: string): Promise<ContactDetailResource> {
    requireContactId(contactId);
    const contact = await this.queries.contact(tenant.tenantId, contactId);
    if (!contact) throw ApiError.notFound(`Contact ${echoed(contactId)} not found`);
    const { phone } = contact;
    const [standing, openReviewCount, lastMessageAt] = await Promise.all([
      this.consents.standing(tenant.tenantId, phone),
      this.consents.openReviewCount(tenant.tenantId, phone),
      this.queries.lastMessageAt(tenant.tenantId, phone),
    ]);
    return {
      ...contact,
      consent: { phone, openReviewCount, ...describeStanding(standing) },
      lastMessageAt,
    };
  }

  async list(tenant: AuthenticatedTenant, query: ContactListQuery): Promise<ContactPage> {
    const { limit } = query;
    if (!Number.isInteger(limit) || limit < 1 || limit > CONTACT_PAGE_SIZE.max) {
      throw ApiError.invalid('The page size is not valid', [
        { field: 'limit', message: `must be an integer from 1 to ${CONTACT_PAGE_SIZE.max}` },
      ]);
    }
    const tag = requireFilterText(query.tag, 'tag', MAX_TAG_LENGTH);
    const q = requireFilterText(query.q, 'q', MAX_SEARCH_LENGTH);
    const phone = query.phone === undefined ? undefined : requirePhone(query.phone);
    const after = contactAfter(query.cursor);
    const page = await this.queries.list(tenant.tenantId, {
      ...(tag !== undefined ? { tag } : {}),
      ...(q !== undefined ? { q } : {}),
      ...(phone !== undefined ? { phone } : {}),
      after,
      limit,
    });
    const last = page.contacts.at(-1);
    return {
      items: page.contacts,
      nextCursor: page.more && last ? encodeContactCursor(last.id) : null,
    };
  }

  async delete(
    tenant: AuthenticatedTenant,
    contactId: string,
    expectedVersion: number | undefined,
  ): Promise<ContactDeleteOutcome> {
    requireContactId(contactId);
    const outcome = await this.request(tenant, contactId, (requestId, requestedAt) => ({
      type: 'gateway.ContactDeletionRequested.v1',
      data: {
        requestId,
        tenantId: tenant.tenantId,
        contactId,
        ...(expectedVersion !== undefined ? { expectedVersion } : {}),
        requestedAt,
      },
    }));
    if (outcome.status === 'pending') return outcome;
    const row = outcome.row;
    if (row.type === 'messaging.ContactDeleted.v1' && row.version !== null) {
      return { status: 'deleted', contactId, version: row.version };
    }
    throw refusal(contactId, row, expectedVersion);
  }

  private async request(
    tenant: AuthenticatedTenant,
    contactId: string,
    eventOf: (requestId: string, requestedAt: string) => ContactRequestEvent,
  ): Promise<{ status: 'decided'; row: ContactOutcomeRow } | PendingContactRequest> {
    const requestId = uuidv7();
    const event = eventOf(requestId, this.clock.now().toISOString());
    const traceparent = currentTraceparent();
    await this.store.append(
      contactRequestStreamId(tenant.tenantId, contactId),
      CONTACT_REQUEST_STREAM_TYPE,
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
    );
    const row = await this.confirmations.waitFor(tenant.tenantId, requestId, this.confirmTimeoutMs);
    return row ? { status: 'decided', row } : { status: 'pending', requestId, contactId };
  }
}

/** Messaging refused the request: a stale `If-Match` (412), or no contact (404, or 412 under If-Match). */
function refusal(
  contactId: string,
  row: ContactOutcomeRow,
  expectedVersion: number | undefined,
): ApiError {
  if (row.reason === 'version_mismatch') {
    return new ApiError(
      'precondition_failed',
      'version_mismatch',
      `Contact ${contactId} is at version ${row.current_version ?? 'none'}, not ${expectedVersion ?? 'none'} (If-Match)`,
      [{ field: 'If-Match', message: `the contact's version is ${row.current_version ?? 'none'}` }],
    );
  }
  if (row.reason === 'not_found' && expectedVersion !== undefined) {
    return new ApiError(
      'precondition_failed',
      'contact_not_found',
      `Contact ${contactId} does not exist, so If-Match cannot hold`,
      [{ field: 'If-Match', message: 'there is no contact to match' }],
    );
  }
  if (row.reason === 'not_found')
    return ApiError.notFound(`Contact ${echoed(contactId)} not found`);
  throw new Error(`Unexpected outcome ${row.type} for a request on contact ${contactId}`);
}
