import type * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';
import { Controller, type DynamicModule, Inject, Module } from '@nestjs/common';
import { Ctx, GrpcMethod, Payload } from '@nestjs/microservices';
import type * as pb from '../generated/textplane/messaging/v1/contact_imports.js';
import { resolveIdempotencyKey } from '../grpc/call-metadata.js';
import { GrpcTenant } from '../grpc/grpc-api-key.guard.js';
import type { GrpcContext } from '../grpc/grpc-edge.js';
import { loadContract } from '../grpc/proto-contracts.js';
import type { Decoded, Written } from '../grpc/proto-shapes.js';
import { toTimestampProto } from '../grpc/timestamps.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { ApiError } from '../problems/api-error.js';
import type { ContactImportResource } from './contact-import.resource.js';
import type { ContactImportApi } from './contact-imports.application.js';

export const CONTACT_IMPORT_API_GRPC = Symbol('CONTACT_IMPORT_API_GRPC');

export const CONTACT_IMPORT_PROTO_FILE =
  'textplane/messaging/v1/contact_imports.proto' satisfies typeof pb.protobufFileName;
export const CONTACT_IMPORT_SERVICE_NAME =
  `${'textplane.messaging.v1' satisfies typeof pb.protobufPackage}.ContactImportService` as const;

type DecodedImportContactsRequest = Decoded<pb.ImportContactsRequest>;
type DecodedGetContactImportRequest = Decoded<pb.GetContactImportRequest>;
type ContactImportProto = Written<pb.ContactImport>;

const CONTENT_TYPES: Record<string, string> = {
  CONTACT_IMPORT_FORMAT_CSV: 'text/csv',
  CONTACT_IMPORT_FORMAT_NDJSON: 'application/x-ndjson',
};

function contactImportProto(job: ContactImportResource): ContactImportProto {
  return {
    id: job.id,
    status:
      job.status === 'completed'
        ? 'CONTACT_IMPORT_STATUS_COMPLETED'
        : 'CONTACT_IMPORT_STATUS_PROCESSING',
    format: job.format === 'csv' ? 'CONTACT_IMPORT_FORMAT_CSV' : 'CONTACT_IMPORT_FORMAT_NDJSON',
    rows: job.rows,
    rejected_rows: job.rejectedRows.map((r) => ({
      row: r.row,
      reason: r.reason,
      message: r.message,
      field: r.field ?? null,
    })),
    create_time: toTimestampProto(job.createdAt),
    complete_time: job.completedAt === null ? null : toTimestampProto(job.completedAt),
  };
}

/** textplane.messaging.v1.ContactImportService over the REST use cases (same rules, same errors). */
@Controller()
export class ContactImportGrpcController {
  constructor(@Inject(CONTACT_IMPORT_API_GRPC) private readonly imports: ContactImportApi) {}

  @GrpcMethod(CONTACT_IMPORT_SERVICE_NAME, 'ImportContacts')
  async importContacts(
    @Payload() request: DecodedImportContactsRequest,
    @Ctx() metadata: grpc.Metadata,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<Written<pb.ImportContactsResponse>> {
    const key = resolveIdempotencyKey(metadata, request.idempotency_key);
    const contentType = CONTENT_TYPES[String(request.format)];
    if (contentType === undefined) {
      throw ApiError.invalid('The import format is not set', [
        {
          field: 'format',
          message: 'must be CONTACT_IMPORT_FORMAT_CSV or CONTACT_IMPORT_FORMAT_NDJSON',
        },
      ]);
    }
    // proto-loader hands `bytes` over as a Buffer.
    const data: unknown = request.data;
    const bytes = data instanceof Uint8Array ? data : new Uint8Array();
    const outcome = await this.imports.start(tenant, contentType, bytes, key);
    return { contact_import: contactImportProto(outcome.job), replayed: outcome.replayed };
  }

  @GrpcMethod(CONTACT_IMPORT_SERVICE_NAME, 'GetContactImport')
  async getContactImport(
    @Payload() request: DecodedGetContactImportRequest,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<Written<pb.GetContactImportResponse>> {
    return {
      contact_import: contactImportProto(await this.imports.get(tenant, request.import_id)),
    };
  }
}

export function loadContactImportPackage(protoDir: string): protoLoader.PackageDefinition {
  return loadContract(CONTACT_IMPORT_PROTO_FILE, protoDir);
}

@Module({})
class ContactImportGrpcModule {}

/** The contact-imports context on the gRPC edge. */
export function contactImportGrpc(protoDir: string, imports: ContactImportApi): GrpcContext {
  const module: DynamicModule = {
    module: ContactImportGrpcModule,
    controllers: [ContactImportGrpcController],
    providers: [{ provide: CONTACT_IMPORT_API_GRPC, useValue: imports }],
  };
  return { contract: loadContactImportPackage(protoDir), module };
}
