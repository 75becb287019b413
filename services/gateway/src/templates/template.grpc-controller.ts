import type * as grpc from '@grpc/grpc-js';
import { Controller, type DynamicModule, Inject, Module } from '@nestjs/common';
import { Ctx, GrpcMethod, Payload } from '@nestjs/microservices';
import type { MessagePurpose, TemplateKind } from '@textplane/contracts';
import type { SegmentEstimate } from '@textplane/merge-fields';
import { resolveIdempotencyKey } from '../grpc/call-metadata.js';
import { GrpcTenant } from '../grpc/grpc-api-key.guard.js';
import type { GrpcContext } from '../grpc/grpc-edge.js';
import { pageSizeOf } from '../grpc/page-size.js';
import { toTimestampProto } from '../grpc/timestamps.js';
import type { DecodedEnum } from '../grpc/proto-shapes.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import {
  CUSTOM_VALUE_PAGE_SIZE,
  type CustomValueApi,
} from '../custom-values/custom-values.application.js';
import type { CustomValueResource } from '../custom-values/custom-value-row.js';
import {
  type ArchiveTemplateResponseProto,
  type CreateTemplateResponseProto,
  type CustomValueProto,
  type DecodedArchiveTemplateRequestProto,
  type DecodedCreateTemplateRequestProto,
  type DecodedDeleteCustomValueRequestProto,
  type DecodedGetCustomValueRequestProto,
  type DecodedGetTemplateRequestProto,
  type DecodedGetTemplateVersionRequestProto,
  type DecodedListCustomValuesRequestProto,
  type DecodedListTemplatesRequestProto,
  type DecodedPreviewTemplateRequestProto,
  type DecodedSetCustomValueRequestProto,
  type DecodedUpdateTemplateRequestProto,
  type DeleteCustomValueResponseProto,
  type GetCustomValueResponseProto,
  type GetTemplateResponseProto,
  type GetTemplateVersionResponseProto,
  type ListCustomValuesResponseProto,
  type ListTemplatesResponseProto,
  type PreviewTemplateResponseProto,
  type SetCustomValueResponseProto,
  TEMPLATE_SERVICE_NAME,
  type TemplateKindProto,
  type TemplateProto,
  type TemplatePurposeProto,
  type UpdateTemplateResponseProto,
  loadTemplatePackage,
} from './template-proto.js';
import type {
  TemplateResource,
  TemplateVersionResource,
  TemplateWriteOutcome,
} from './template.resource.js';
import { TEMPLATE_PAGE_SIZE, type TemplateApi } from './templates.application.js';

export const TEMPLATE_GRPC_API = Symbol('TEMPLATE_GRPC_API');
export const CUSTOM_VALUE_GRPC_API = Symbol('CUSTOM_VALUE_GRPC_API');

const KINDS: Record<TemplateKind, TemplateKindProto> = {
  template: 'TEMPLATE_KIND_TEMPLATE',
  snippet: 'TEMPLATE_KIND_SNIPPET',
};
const PURPOSES: Record<MessagePurpose, TemplatePurposeProto> = {
  conversational: 'TEMPLATE_PURPOSE_CONVERSATIONAL',
  transactional: 'TEMPLATE_PURPOSE_TRANSACTIONAL',
  marketing: 'TEMPLATE_PURPOSE_MARKETING',
};

/** An enum value as the REST field takes it: unset is absent, an unknown value is passed on to be refused. */
function fromEnum<T extends string>(
  table: Record<T, string>,
  value: DecodedEnum,
): T | string | undefined {
  const found = (Object.keys(table) as T[]).find((key) => table[key] === value);
  if (found !== undefined) return found;
  if (value === 0 || (typeof value === 'string' && value.endsWith('_UNSPECIFIED')))
    return undefined;
  return String(value);
}

function content(request: {
  name: string;
  body: string;
  purpose: DecodedEnum;
  media_urls: string[];
}): Record<string, unknown> {
  const purpose = fromEnum(PURPOSES, request.purpose);
  return {
    name: request.name,
    body: request.body,
    ...(purpose !== undefined ? { purpose } : {}),
    ...(request.media_urls.length > 0 ? { mediaUrls: request.media_urls } : {}),
  };
}

function templateProto(template: TemplateResource): TemplateProto {
  return {
    id: template.id,
    kind: KINDS[template.kind],
    name: template.name,
    body: template.body,
    purpose:
      template.purpose === null ? 'TEMPLATE_PURPOSE_UNSPECIFIED' : PURPOSES[template.purpose],
    media_urls: template.mediaUrls,
    version: template.version,
    warnings: template.warnings,
    archive_time: template.archivedAt === null ? null : toTimestampProto(template.archivedAt),
    create_time: toTimestampProto(template.createdAt),
    update_time: toTimestampProto(template.updatedAt),
  };
}

function versionProto(version: TemplateVersionResource) {
  return {
    id: version.id,
    version: version.version,
    name: version.name,
    body: version.body,
    purpose: version.purpose === null ? 'TEMPLATE_PURPOSE_UNSPECIFIED' : PURPOSES[version.purpose],
    media_urls: version.mediaUrls,
    warnings: version.warnings,
    create_time: toTimestampProto(version.createdAt),
  } as const;
}

function writeProto(outcome: TemplateWriteOutcome): CreateTemplateResponseProto {
  return outcome.status === 'saved'
    ? {
        status: 'TEMPLATE_REQUEST_STATUS_RECORDED',
        template: templateProto(outcome.template),
        template_id: outcome.template.id,
        request_id: '',
      }
    : {
        status: 'TEMPLATE_REQUEST_STATUS_PENDING',
        template: null,
        template_id: outcome.templateId,
        request_id: outcome.requestId,
      };
}

function customValueProto(value: CustomValueResource): CustomValueProto {
  return { key: value.key, value: value.value, update_time: toTimestampProto(value.updatedAt) };
}

const estimateProto = (estimate: SegmentEstimate) => ({
  encoding: estimate.encoding,
  segments: estimate.segments,
  characters: estimate.characters,
});

/** textplane.messaging.v1.TemplateService over the REST use cases (same rules, same errors). */
@Controller()
export class TemplateGrpcController {
  constructor(
    @Inject(TEMPLATE_GRPC_API) private readonly templates: TemplateApi,
    @Inject(CUSTOM_VALUE_GRPC_API) private readonly values: CustomValueApi,
  ) {}

  @GrpcMethod(TEMPLATE_SERVICE_NAME, 'CreateTemplate')
  async createTemplate(
    @Payload() request: DecodedCreateTemplateRequestProto,
    @Ctx() metadata: grpc.Metadata,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<CreateTemplateResponseProto> {
    const key = resolveIdempotencyKey(metadata, request.idempotency_key);
    const kind = fromEnum(KINDS, request.kind);
    const body = { ...(kind !== undefined ? { kind } : {}), ...content(request) };
    return writeProto(await this.templates.create(tenant, body, key));
  }

  @GrpcMethod(TEMPLATE_SERVICE_NAME, 'GetTemplate')
  async getTemplate(
    @Payload() request: DecodedGetTemplateRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<GetTemplateResponseProto> {
    return { template: templateProto(await this.templates.get(tenant, request.template_id)) };
  }

  @GrpcMethod(TEMPLATE_SERVICE_NAME, 'ListTemplates')
  async listTemplates(
    @Payload() request: DecodedListTemplatesRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<ListTemplatesResponseProto> {
    const kind = fromEnum(KINDS, request.kind);
    const page = await this.templates.list(tenant, {
      limit: pageSizeOf(request.page_size, TEMPLATE_PAGE_SIZE),
      ...(kind !== undefined ? { kind } : {}),
      ...(request.query !== undefined && request.query !== null ? { q: request.query } : {}),
      ...(request.page_token !== '' ? { cursor: request.page_token } : {}),
    });
    return { templates: page.items.map(templateProto), next_page_token: page.nextCursor ?? '' };
  }

  @GrpcMethod(TEMPLATE_SERVICE_NAME, 'UpdateTemplate')
  async updateTemplate(
    @Payload() request: DecodedUpdateTemplateRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<UpdateTemplateResponseProto> {
    return writeProto(await this.templates.revise(tenant, request.template_id, content(request)));
  }

  @GrpcMethod(TEMPLATE_SERVICE_NAME, 'GetTemplateVersion')
  async getTemplateVersion(
    @Payload() request: DecodedGetTemplateVersionRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<GetTemplateVersionResponseProto> {
    const version = await this.templates.version(
      tenant,
      request.template_id,
      String(request.version),
    );
    return { version: versionProto(version) };
  }

  @GrpcMethod(TEMPLATE_SERVICE_NAME, 'ArchiveTemplate')
  async archiveTemplate(
    @Payload() request: DecodedArchiveTemplateRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<ArchiveTemplateResponseProto> {
    const outcome = await this.templates.archive(tenant, request.template_id);
    return outcome.status === 'archived'
      ? { status: 'TEMPLATE_REQUEST_STATUS_RECORDED', request_id: '' }
      : { status: 'TEMPLATE_REQUEST_STATUS_PENDING', request_id: outcome.requestId };
  }

  @GrpcMethod(TEMPLATE_SERVICE_NAME, 'PreviewTemplate')
  async previewTemplate(
    @Payload() request: DecodedPreviewTemplateRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<PreviewTemplateResponseProto> {
    const contactId = request.contact_id;
    const preview = await this.templates.preview(
      tenant,
      request.template_id,
      contactId !== undefined && contactId !== null ? { contactId } : {},
    );
    if ('text' in preview) {
      return {
        text: preview.text,
        added: preview.added,
        estimate: estimateProto(preview),
        best: null,
        worst: null,
        contacts: 0,
      };
    }
    return {
      text: null,
      added: null,
      estimate: null,
      best: estimateProto(preview.best),
      worst: estimateProto(preview.worst),
      contacts: preview.contacts,
    };
  }

  @GrpcMethod(TEMPLATE_SERVICE_NAME, 'SetCustomValue')
  async setCustomValue(
    @Payload() request: DecodedSetCustomValueRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<SetCustomValueResponseProto> {
    const outcome = await this.values.set(tenant, request.key, { value: request.value });
    return outcome.status === 'set'
      ? {
          status: 'TEMPLATE_REQUEST_STATUS_RECORDED',
          custom_value: customValueProto(outcome.value),
          created: outcome.created,
          request_id: '',
        }
      : {
          status: 'TEMPLATE_REQUEST_STATUS_PENDING',
          custom_value: null,
          created: false,
          request_id: outcome.requestId,
        };
  }

  @GrpcMethod(TEMPLATE_SERVICE_NAME, 'GetCustomValue')
  async getCustomValue(
    @Payload() request: DecodedGetCustomValueRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<GetCustomValueResponseProto> {
    return { custom_value: customValueProto(await this.values.get(tenant, request.key)) };
  }

  @GrpcMethod(TEMPLATE_SERVICE_NAME, 'ListCustomValues')
  async listCustomValues(
    @Payload() request: DecodedListCustomValuesRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<ListCustomValuesResponseProto> {
    const page = await this.values.list(tenant, {
      limit: pageSizeOf(request.page_size, CUSTOM_VALUE_PAGE_SIZE),
      ...(request.page_token !== '' ? { cursor: request.page_token } : {}),
    });
    return {
      custom_values: page.items.map(customValueProto),
      next_page_token: page.nextCursor ?? '',
    };
  }

  @GrpcMethod(TEMPLATE_SERVICE_NAME, 'DeleteCustomValue')
  async deleteCustomValue(
    @Payload() request: DecodedDeleteCustomValueRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<DeleteCustomValueResponseProto> {
    const outcome = await this.values.delete(tenant, request.key);
    return outcome.status === 'deleted'
      ? { status: 'TEMPLATE_REQUEST_STATUS_RECORDED', request_id: '' }
      : { status: 'TEMPLATE_REQUEST_STATUS_PENDING', request_id: outcome.requestId };
  }
}

@Module({})
class TemplateGrpcModule {}

/** The templates and custom values context on the gRPC edge. */
export function templateGrpc(
  protoDir: string,
  templates: TemplateApi,
  values: CustomValueApi,
): GrpcContext {
  const module: DynamicModule = {
    module: TemplateGrpcModule,
    controllers: [TemplateGrpcController],
    providers: [
      { provide: TEMPLATE_GRPC_API, useValue: templates },
      { provide: CUSTOM_VALUE_GRPC_API, useValue: values },
    ],
  };
  return { contract: loadTemplatePackage(protoDir), module };
}
