import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  ContactImportError,
  type ContactImportFailure,
  type ContactImportFormat,
  contactImportFormatOf,
  parseContactImport,
} from '@textplane/contacts';
import type { ContactImportChunkRow, ContactImportRejectedRow } from '@textplane/contracts';
import type { EventStore, NewEvent } from '@textplane/event-store';
import { currentTraceparent } from '@textplane/observability';
import type { Clock } from '@textplane/service-runtime';
import { v7 as uuidv7 } from 'uuid';
import type { TenantAuthenticator } from '../consents/consents.application.js';
import { encodePageCursor, pagePositionAfter } from '../http/page-cursor.js';
import {
  type IdempotencyStore,
  requestHash,
  tenantScope,
} from '../idempotency/idempotency-store.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { ApiError } from '../problems/api-error.js';
import { ChunkCutter, type ChunkLimits, IMPORT_CHUNK_LIMITS } from './contact-import-chunks.js';
import {
  CONTACT_IMPORT_STREAM_TYPE,
  type ContactImportEvent,
  contactImportStreamId,
} from './contact-import-job.js';
import type { ContactImportProjection } from './contact-import.projection.js';
import type { ContactImportQueries } from './contact-import-read-model.js';
import type { ContactImportPage, ContactImportResource } from './contact-import.resource.js';

export const CONTACT_IMPORT_MEDIA_TYPES = ['text/csv', 'application/x-ndjson'] as const;
export const CONTACT_IMPORT_PAGE_SIZE = { default: 20, max: 100 } as const;
/** The upload's bytes are read in slices of this size, as a stream would deliver them. */
const READ_SLICE_BYTES = 64 * 1024;
/** Events per append statement: at most 16 chunks of 256 KiB, about 4 MiB of JSON. */
const EVENTS_PER_APPEND = 16;

export function contactImportLocation(importId: string): string {
  return `/v1/contact-imports/${importId}`;
}

export interface ContactImportAccepted {
  job: ContactImportResource;
  replayed: boolean;
}

/** The contact-import use cases REST and gRPC share. */
export interface ContactImportApi {
  authenticate(apiKey: string): Promise<AuthenticatedTenant | null>;
  start(
    tenant: AuthenticatedTenant,
    contentType: string | undefined,
    body: Uint8Array,
    idempotencyKey: string | undefined,
  ): Promise<ContactImportAccepted>;
  get(tenant: AuthenticatedTenant, importId: string): Promise<ContactImportResource>;
  list(
    tenant: AuthenticatedTenant,
    query: { cursor?: string; limit: number },
  ): Promise<ContactImportPage>;
}

/** The upload parsed: the rows to upsert and the rows refused here, in row order. */
export interface ParsedContactImport {
  format: ContactImportFormat;
  rowsRead: number;
  contacts: Array<Omit<ContactImportChunkRow, 'requestId'>>;
  rejected: ContactImportRejectedRow[];
}

function* slicesOf(bytes: Uint8Array): Generator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += READ_SLICE_BYTES) {
    yield bytes.subarray(start, start + READ_SLICE_BYTES);
  }
}

/** A whole-import refusal as the API reports it; nothing of the import is recorded. */
export function importRefusal(failure: ContactImportFailure): ApiError {
  switch (failure.code) {
    case 'unsupported_format':
      return new ApiError('unsupported_media_type', 'unsupported_media_type', failure.message, [
        { field: 'Content-Type', message: `must be ${CONTACT_IMPORT_MEDIA_TYPES.join(' or ')}` },
      ]);
    case 'too_large':
      return new ApiError('payload_too_large', 'too_large', failure.message, [
        { field: 'body', message: failure.message },
      ]);
    case 'bad_header':
      return new ApiError('unprocessable', failure.code, failure.message, [
        { field: failure.field ?? 'header', message: failure.message },
      ]);
    case 'not_utf8':
    case 'malformed_csv':
    case 'empty_import':
    case 'too_many_rows':
      return new ApiError('unprocessable', failure.code, failure.message, [
        { field: 'body', message: failure.message },
      ]);
  }
}

export type ImportRow =
  | { kind: 'contact'; row: Omit<ContactImportChunkRow, 'requestId'> }
  | { kind: 'rejected'; row: ContactImportRejectedRow };

/**
 * The upload's rows, as they are parsed through `@textplane/contacts`' rules: a bad row is a
 * rejected row; an import-level failure throws its refusal. A later row with the same contact
 * id as an earlier one is kept too: messaging upserts both in row order, so the last one wins,
 * as two PUTs would.
 */
export async function* importRows(
  contentType: string | undefined,
  body: Uint8Array,
): AsyncGenerator<ImportRow> {
  const format = importFormatOf(contentType);
  try {
    for await (const row of parseContactImport(Readable.from(slicesOf(body)), format)) {
      if ('contact' in row) {
        const { id, ...contact } = row.contact;
        yield { kind: 'contact', row: { row: row.row, contactId: id, contact } };
      } else {
        yield {
          kind: 'rejected',
          row: {
            row: row.row,
            reason: row.error.reason,
            message: row.error.message,
            ...(row.error.field !== undefined ? { field: row.error.field } : {}),
          },
        };
      }
    }
  } catch (error) {
    if (error instanceof ContactImportError) throw importRefusal(error.failure);
    throw error;
  }
}

function importFormatOf(contentType: string | undefined): ContactImportFormat {
  const format = contactImportFormatOf(contentType);
  if (format === undefined) {
    throw importRefusal({
      code: 'unsupported_format',
      message: `A contact import is text/csv or application/x-ndjson (UTF-8), not ${contentType === undefined ? 'a body without Content-Type' : contentType.slice(0, 100)}`,
    });
  }
  return format;
}

/** The whole upload parsed into memory (for tests and small imports). */
export async function parseUpload(
  contentType: string | undefined,
  body: Uint8Array,
): Promise<ParsedContactImport> {
  const format = importFormatOf(contentType);
  const contacts: ParsedContactImport['contacts'] = [];
  const rejected: ContactImportRejectedRow[] = [];
  let rowsRead = 0;
  for await (const item of importRows(contentType, body)) {
    rowsRead = item.row.row;
    if (item.kind === 'contact') contacts.push(item.row);
    else rejected.push(item.row);
  }
  return { format, rowsRead, contacts, rejected };
}

/**
 * The request id of each row's upsert: the same for the same import and row (a redelivered chunk
 * is the same request), distinct across imports. A UUIDv8: 96 bits of SHA-256 of the import id,
 * then the row number in the last 32 bits (one hash per import, not per row: 100,000 of them
 * cost seconds).
 */
export function rowRequestIds(importId: string): (row: number) => string {
  const bytes = createHash('sha256').update(`contact-import-rows:${importId}`).digest();
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 12).toString('hex');
  const prefix = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 24)}`;
  return (row) => `${prefix}${row.toString(16).padStart(8, '0')}`;
}

/**
 * The events that record an accepted import, made as the upload is read (no more than a chunk
 * of rows held at once): the rejected rows and the chunks as they fill, then the job's start
 * with its totals. The caller appends them in one transaction, so an import refused part way
 * (row 100,001) leaves nothing, and readers of the stream only ever see it whole.
 */
export async function* importEvents(
  importId: string,
  tenantId: string,
  upload: { contentType: string | undefined; body: Uint8Array },
  startedAt: string,
  limits: ChunkLimits = IMPORT_CHUNK_LIMITS,
): AsyncGenerator<ContactImportEvent> {
  const format = importFormatOf(upload.contentType);
  const requestIdOf = rowRequestIds(importId);
  const contacts = new ChunkCutter<ContactImportChunkRow>(limits);
  const rejected = new ChunkCutter<ContactImportRejectedRow>(limits);
  let chunk = 0;
  let rowsRead = 0;
  let rejectedRows = 0;
  const chunkEvent = (rows: ContactImportChunkRow[]): ContactImportEvent => ({
    type: 'gateway.ContactImportChunkSubmitted.v1',
    data: { importId, tenantId, chunk: chunk++, rows, requestedAt: startedAt },
  });
  const rejectedEvent = (rows: ContactImportRejectedRow[]): ContactImportEvent => ({
    type: 'gateway.ContactImportRowsRejected.v1',
    data: { importId, tenantId, rows },
  });
  for await (const item of importRows(upload.contentType, upload.body)) {
    rowsRead = item.row.row;
    if (item.kind === 'contact') {
      const closed = contacts.add({ ...item.row, requestId: requestIdOf(item.row.row) });
      if (closed) yield chunkEvent(closed);
    } else {
      rejectedRows += 1;
      const closed = rejected.add(item.row);
      if (closed) yield rejectedEvent(closed);
    }
  }
  const lastRejected = rejected.flush();
  if (lastRejected) yield rejectedEvent(lastRejected);
  const lastChunk = contacts.flush();
  if (lastChunk) yield chunkEvent(lastChunk);
  yield {
    type: 'gateway.ContactImportStarted.v1',
    data: {
      importId,
      tenantId,
      format,
      rowsRead,
      rejectedRows,
      submittedRows: rowsRead - rejectedRows,
      chunks: chunk,
      startedAt,
    },
  };
}

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function requireImportId(importId: string): string {
  if (!CANONICAL_UUID.test(importId)) {
    throw ApiError.invalid('The import id is not valid', [
      { field: 'id', message: 'must be an import id as this API returns it (a lower-case UUID)' },
    ]);
  }
  return importId;
}

/**
 * Contact imports. The upload is parsed and validated here; an accepted import is recorded in
 * one transaction (the job, the rows refused here, the valid rows in byte-bounded chunks) with
 * its read model and its Idempotency-Key record, so a refusal or a crash records nothing of
 * it. Messaging upserts each chunk once and answers per chunk; the job completes when every
 * chunk is answered.
 */
export class ContactImportsApplication implements ContactImportApi {
  constructor(
    private readonly store: Pick<EventStore, 'append'>,
    private readonly projection: Pick<ContactImportProjection, 'applyAll'>,
    private readonly queries: ContactImportQueries,
    private readonly tenants: TenantAuthenticator,
    private readonly idempotency: Pick<IdempotencyStore, 'run'>,
    private readonly clock: Clock,
    private readonly chunkLimits: ChunkLimits = IMPORT_CHUNK_LIMITS,
  ) {}

  authenticate(apiKey: string): Promise<AuthenticatedTenant | null> {
    return this.tenants.authenticate(apiKey);
  }

  async start(
    tenant: AuthenticatedTenant,
    contentType: string | undefined,
    body: Uint8Array,
    idempotencyKey: string | undefined,
  ): Promise<ContactImportAccepted> {
    const format = importFormatOf(contentType);
    const digest = createHash('sha256').update(body).digest('hex');
    const traceparent = currentTraceparent();
    const result = await this.idempotency.run(
      tenantScope(tenant.tenantId, 'POST /v1/contact-imports'),
      idempotencyKey,
      requestHash({ format, sha256: digest }),
      async (manager) => {
        const importId = uuidv7();
        const metadata = {
          tenantId: tenant.tenantId,
          correlationId: importId,
          ...(traceparent ? { traceparent } : {}),
        };
        // Appended a few chunks at a time as the upload is read, in the one transaction: a
        // 50 MiB import is never held whole, as rows or as JSON, and a refusal part way
        // (too many rows) rolls back what was appended.
        const streamId = contactImportStreamId(tenant.tenantId, importId);
        let version = 0;
        let pending: ContactImportEvent[] = [];
        const append = async (): Promise<void> => {
          await this.store.append(
            streamId,
            CONTACT_IMPORT_STREAM_TYPE,
            version,
            pending.map((event): NewEvent => ({ type: event.type, data: event.data, metadata })),
            manager,
          );
          await this.projection.applyAll(manager, pending);
          version += pending.length;
          pending = [];
        };
        for await (const event of importEvents(
          importId,
          tenant.tenantId,
          { contentType, body },
          this.clock.now().toISOString(),
          this.chunkLimits,
        )) {
          pending.push(event);
          if (pending.length >= EVENTS_PER_APPEND) await append();
        }
        if (pending.length > 0) await append();
        return { statusCode: 202, body: { importId } };
      },
    );
    const { importId } = result.body as { importId: string };
    const job = await this.queries.job(tenant.tenantId, importId);
    if (!job)
      throw new Error(`Contact import ${importId} was recorded but is not in the read model`);
    return { job, replayed: result.replayed };
  }

  async get(tenant: AuthenticatedTenant, importId: string): Promise<ContactImportResource> {
    const job = await this.queries.job(tenant.tenantId, requireImportId(importId));
    if (!job) throw ApiError.notFound(`Contact import ${importId} not found`);
    return job;
  }

  async list(
    tenant: AuthenticatedTenant,
    query: { cursor?: string; limit: number },
  ): Promise<ContactImportPage> {
    const { limit } = query;
    if (!Number.isInteger(limit) || limit < 1 || limit > CONTACT_IMPORT_PAGE_SIZE.max) {
      throw ApiError.invalid('The page size is not valid', [
        { field: 'limit', message: `must be an integer from 1 to ${CONTACT_IMPORT_PAGE_SIZE.max}` },
      ]);
    }
    const after = pagePositionAfter(query.cursor);
    const page = await this.queries.list(tenant.tenantId, after, limit);
    const last = page.jobs.at(-1);
    return {
      items: page.jobs,
      nextCursor: page.more && last ? encodePageCursor(new Date(last.createdAt), last.id) : null,
    };
  }
}
