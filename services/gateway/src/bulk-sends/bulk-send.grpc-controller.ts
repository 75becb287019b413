import type * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';
import { Controller, type DynamicModule, Inject, Module } from '@nestjs/common';
import { Ctx, GrpcMethod, Payload } from '@nestjs/microservices';
import type { BulkDelivery, BulkMessageContent } from '@textplane/contracts';
import { Observable } from 'rxjs';
import type * as pb from '../generated/textplane/messaging/v1/bulk_sends.js';
import { resolveIdempotencyKey } from '../grpc/call-metadata.js';
import { GrpcTenant } from '../grpc/grpc-api-key.guard.js';
import type { GrpcContext } from '../grpc/grpc-edge.js';
import { pageSizeOf } from '../grpc/page-size.js';
import { loadContract } from '../grpc/proto-contracts.js';
import type { Decoded, Written } from '../grpc/proto-shapes.js';
import { fromRequestTimestamp, toTimestampProto } from '../grpc/timestamps.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { ApiError } from '../problems/api-error.js';
import {
  BULK_RECIPIENT_PAGE_SIZE,
  BULK_SEND_PAGE_SIZE,
  type BulkSendLifecycle,
} from './bulk-send-lifecycle.application.js';
import type { BulkRecipientResource, BulkSendResource } from './bulk-send-read-model.js';
import type { BulkSendControl } from './bulk-send-record.js';
import type { BulkSendWatchHub } from './bulk-send-watch-hub.js';
import type { BulkSendPreview, BulkSendsApplication } from './bulk-sends.application.js';

export const BULK_SEND_GRPC = Symbol('BULK_SEND_GRPC');

export const BULK_SEND_PROTO_FILE =
  'textplane/messaging/v1/bulk_sends.proto' satisfies typeof pb.protobufFileName;
export const BULK_SEND_SERVICE_NAME =
  `${'textplane.messaging.v1' satisfies typeof pb.protobufPackage}.BulkSendService` as const;

/** What the gRPC edge of bulk sends calls: the REST use cases. */
export interface BulkSendGrpcParts {
  bulkSends: Pick<BulkSendsApplication, 'preview'>;
  lifecycle: Pick<BulkSendLifecycle, 'create' | 'get' | 'list' | 'recipients' | 'control'>;
  watchHub: Pick<BulkSendWatchHub, 'watch'>;
}

type DecodedSpec = Decoded<pb.CreateBulkSendRequest>;

const PURPOSES: Readonly<Record<string, string | null>> = {
  MESSAGE_PURPOSE_UNSPECIFIED: null,
  MESSAGE_PURPOSE_CONVERSATIONAL: 'conversational',
  MESSAGE_PURPOSE_TRANSACTIONAL: 'transactional',
  MESSAGE_PURPOSE_MARKETING: 'marketing',
};
const PURPOSE_NAMES: Readonly<Record<string, pb.BulkMessageContent['purpose']>> = {
  conversational: 'MESSAGE_PURPOSE_CONVERSATIONAL',
  transactional: 'MESSAGE_PURPOSE_TRANSACTIONAL',
  marketing: 'MESSAGE_PURPOSE_MARKETING',
};
const STATUS_NAMES: Readonly<Record<BulkSendResource['status'], pb.BulkSendStatus>> = {
  scheduled: 'BULK_SEND_STATUS_SCHEDULED',
  running: 'BULK_SEND_STATUS_RUNNING',
  paused: 'BULK_SEND_STATUS_PAUSED',
  completed: 'BULK_SEND_STATUS_COMPLETED',
  canceled: 'BULK_SEND_STATUS_CANCELED',
};
const STATUS_FILTERS: Readonly<Record<string, string | null>> = {
  BULK_SEND_STATUS_UNSPECIFIED: null,
  BULK_SEND_STATUS_SCHEDULED: 'scheduled',
  BULK_SEND_STATUS_RUNNING: 'running',
  BULK_SEND_STATUS_PAUSED: 'paused',
  BULK_SEND_STATUS_COMPLETED: 'completed',
  BULK_SEND_STATUS_CANCELED: 'canceled',
};

const nonEmpty = (list: readonly string[]) => (list.length > 0 ? [...list] : undefined);

/**
 * The REST body of a decoded create or preview: the one use case validates both (the same rules
 * and field names). An unset selection or delivery is left out, so the REST refusal names it.
 */
export function bulkSendRequestBody(
  request: Pick<DecodedSpec, 'recipients' | 'message' | 'delivery'>,
): unknown {
  const body: Record<string, unknown> = {};
  const r = request.recipients;
  const recipients: Record<string, unknown> = {};
  if (r) {
    if (r.contact_ids.length > 0) recipients['contactIds'] = [...r.contact_ids];
    if (r.tags) {
      recipients['tags'] = {
        ...(nonEmpty(r.tags.any) ? { any: nonEmpty(r.tags.any) } : {}),
        ...(nonEmpty(r.tags.all) ? { all: nonEmpty(r.tags.all) } : {}),
        ...(nonEmpty(r.tags.none) ? { none: nonEmpty(r.tags.none) } : {}),
      };
    }
    if (r.all) recipients['all'] = true;
  }
  body['recipients'] = recipients;
  const content = request.message;
  if (content) {
    const purpose = Object.hasOwn(PURPOSES, String(content.purpose))
      ? PURPOSES[String(content.purpose)]
      : undefined;
    if (purpose === undefined) {
      throw ApiError.invalid('The request has an unknown purpose.', [
        {
          field: 'message.purpose',
          message: `unknown MessagePurpose value ${String(content.purpose)}`,
        },
      ]);
    }
    body['message'] = {
      ...(content.body !== undefined ? { body: content.body } : {}),
      ...(content.template_id !== undefined ? { templateId: content.template_id } : {}),
      ...(content.template_version !== undefined
        ? { templateVersion: content.template_version }
        : {}),
      ...(content.media_urls.length > 0 ? { mediaUrls: [...content.media_urls] } : {}),
      ...(purpose !== null ? { purpose } : {}),
      ...(content.from !== undefined ? { from: content.from } : {}),
    };
  } else {
    body['message'] = {};
  }
  body['delivery'] = deliveryBody(request.delivery);
  return body;
}

function deliveryBody(delivery: DecodedSpec['delivery']): Record<string, unknown> {
  if (!delivery) return {};
  if (delivery.now) return { mode: 'now' };
  if (delivery.schedule_at) {
    const at = delivery.schedule_at.at;
    return { mode: 'schedule', ...(at ? { at: fromRequestTimestamp(at, 'delivery.at') } : {}) };
  }
  if (delivery.schedule_local_time) {
    const local = delivery.schedule_local_time;
    return { mode: 'schedule', localTime: local.local_time, timeZone: local.time_zone };
  }
  if (delivery.drip) {
    const d = delivery.drip;
    return {
      mode: 'drip',
      ...(d.start_at ? { startAt: fromRequestTimestamp(d.start_at, 'delivery.startAt') } : {}),
      batchSize: d.batch_size,
      ...(d.every ? { every: { value: d.every.value, unit: d.every.unit } } : {}),
      ...(d.days.length > 0 ? { days: [...d.days] } : {}),
      ...(d.window ? { window: { start: d.window.start, end: d.window.end } } : {}),
      ...(d.time_zone !== '' ? { timeZone: d.time_zone } : {}),
    };
  }
  return {};
}

const timestampOrNull = (iso: string | null) => (iso === null ? null : toTimestampProto(iso));

function messageProto(message: BulkMessageContent): Written<pb.BulkMessageContent> {
  return {
    body: message.body ?? null,
    template_id: message.templateId ?? null,
    template_version: message.templateVersion ?? null,
    media_urls: [...message.mediaUrls],
    purpose: PURPOSE_NAMES[message.purpose] ?? 'MESSAGE_PURPOSE_UNSPECIFIED',
    from: message.from ?? null,
  };
}

function deliveryProto(delivery: BulkDelivery): Written<pb.BulkSendDelivery> {
  const none = { now: null, schedule_at: null, schedule_local_time: null, drip: null };
  switch (delivery.mode) {
    case 'now':
      return { ...none, now: {} };
    case 'schedule':
      if ('at' in delivery) return { ...none, schedule_at: { at: toTimestampProto(delivery.at) } };
      return {
        ...none,
        schedule_local_time: { local_time: delivery.localTime, time_zone: delivery.timeZone },
      };
    case 'drip':
      return {
        ...none,
        drip: {
          start_at: toTimestampProto(delivery.startAt),
          batch_size: delivery.batchSize,
          every: { value: delivery.every.value, unit: delivery.every.unit },
          days: [...delivery.days],
          window: { start: delivery.window.start, end: delivery.window.end },
          time_zone: delivery.timeZone,
        },
      };
  }
}

export function bulkSendProto(bulk: BulkSendResource): Written<pb.BulkSend> {
  return {
    id: bulk.id,
    status: STATUS_NAMES[bulk.status],
    paused_reason: bulk.pausedReason ?? '',
    message: messageProto(bulk.message),
    delivery: deliveryProto(bulk.delivery),
    recipients: {
      total: bulk.recipients.total,
      sendable: bulk.recipients.sendable,
      skipped_duplicate_phone: bulk.recipients.skipped.duplicate_phone,
      skipped_missing_merge_value: bulk.recipients.skipped.missing_merge_value,
    },
    messages: { ...bulk.messages },
    blocked: { ...bulk.blocked },
    batches: {
      total: bulk.batches.total,
      released: bulk.batches.released,
      next_time: timestampOrNull(bulk.batches.nextAt),
    },
    eta: timestampOrNull(bulk.eta),
    create_time: toTimestampProto(bulk.createdAt),
    update_time: toTimestampProto(bulk.updatedAt),
    complete_time: timestampOrNull(bulk.completedAt),
    cancel_time: timestampOrNull(bulk.canceledAt),
    cost: {
      spent_micros: String(bulk.cost.spent),
      held_micros: String(bulk.cost.held),
      currency: bulk.cost.currency,
    },
  };
}

function recipientProto(recipient: BulkRecipientResource): Written<pb.BulkSendRecipient> {
  return {
    position: recipient.position,
    contact_id: recipient.contactId,
    phone: recipient.phone,
    batch: recipient.batch,
    message_id: recipient.messageId,
    status: recipient.status,
    reason: recipient.reason ?? '',
    send_time: timestampOrNull(recipient.sendAt),
  };
}

export function previewProto(preview: BulkSendPreview): Written<pb.PreviewBulkSendResponse> {
  const { recipients, segments, delivery } = preview;
  return {
    total: recipients.total,
    sendable: recipients.sendable,
    blocked: Object.fromEntries(Object.entries(recipients.blocked)),
    skipped: { ...recipients.skipped },
    quiet_hours_held: recipients.held.quiet_hours_held,
    segments_total: segments.total,
    segments_max: segments.max,
    batches:
      delivery.mode === 'drip'
        ? delivery.batches.map((b) => ({
            index: b.index,
            at: toTimestampProto(b.at),
            size: b.size,
          }))
        : [],
    total_batches: delivery.mode === 'drip' ? delivery.totalBatches : 0,
    eta: timestampOrNull(preview.eta),
    estimated_cost:
      preview.estimatedCost === undefined
        ? null
        : {
            amount_micros: String(preview.estimatedCost.amount),
            currency: preview.estimatedCost.currency,
            not_priced: preview.estimatedCost.notPriced,
          },
  };
}

/** textplane.messaging.v1.BulkSendService over the REST use cases (same rules, same errors). */
@Controller()
export class BulkSendGrpcController {
  constructor(@Inject(BULK_SEND_GRPC) private readonly parts: BulkSendGrpcParts) {}

  @GrpcMethod(BULK_SEND_SERVICE_NAME, 'CreateBulkSend')
  async createBulkSend(
    @Payload() request: DecodedSpec,
    @Ctx() metadata: grpc.Metadata,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<Written<pb.CreateBulkSendResponse>> {
    const key = resolveIdempotencyKey(metadata, request.idempotency_key);
    const outcome = await this.parts.lifecycle.create(tenant, bulkSendRequestBody(request), key);
    return { bulk_send: bulkSendProto(outcome.bulkSend), replayed: outcome.replayed };
  }

  @GrpcMethod(BULK_SEND_SERVICE_NAME, 'PreviewBulkSend')
  async previewBulkSend(
    @Payload() request: Decoded<pb.PreviewBulkSendRequest>,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<Written<pb.PreviewBulkSendResponse>> {
    return previewProto(await this.parts.bulkSends.preview(tenant, bulkSendRequestBody(request)));
  }

  @GrpcMethod(BULK_SEND_SERVICE_NAME, 'GetBulkSend')
  async getBulkSend(
    @Payload() request: Decoded<pb.GetBulkSendRequest>,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<Written<pb.GetBulkSendResponse>> {
    return {
      bulk_send: bulkSendProto(await this.parts.lifecycle.get(tenant, request.bulk_send_id)),
    };
  }

  @GrpcMethod(BULK_SEND_SERVICE_NAME, 'ListBulkSends')
  async listBulkSends(
    @Payload() request: Decoded<pb.ListBulkSendsRequest>,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<Written<pb.ListBulkSendsResponse>> {
    const status = STATUS_FILTERS[String(request.status)];
    if (status === undefined) {
      throw ApiError.invalid('The status filter is not valid', [
        { field: 'status', message: `unknown BulkSendStatus value ${String(request.status)}` },
      ]);
    }
    const page = await this.parts.lifecycle.list(tenant, {
      limit: pageSizeOf(request.page_size, BULK_SEND_PAGE_SIZE),
      ...(status !== null ? { status } : {}),
      ...(request.page_token !== '' ? { cursor: request.page_token } : {}),
    });
    return { bulk_sends: page.data.map(bulkSendProto), next_page_token: page.nextCursor ?? '' };
  }

  @GrpcMethod(BULK_SEND_SERVICE_NAME, 'ListBulkSendRecipients')
  async listBulkSendRecipients(
    @Payload() request: Decoded<pb.ListBulkSendRecipientsRequest>,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<Written<pb.ListBulkSendRecipientsResponse>> {
    const page = await this.parts.lifecycle.recipients(tenant, request.bulk_send_id, {
      limit: pageSizeOf(request.page_size, BULK_RECIPIENT_PAGE_SIZE),
      ...(request.state !== '' ? { state: request.state } : {}),
      ...(request.page_token !== '' ? { cursor: request.page_token } : {}),
    });
    return { recipients: page.data.map(recipientProto), next_page_token: page.nextCursor ?? '' };
  }

  @GrpcMethod(BULK_SEND_SERVICE_NAME, 'PauseBulkSend')
  pauseBulkSend(
    @Payload() request: Decoded<pb.PauseBulkSendRequest>,
    @Ctx() metadata: grpc.Metadata,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<Written<pb.PauseBulkSendResponse>> {
    return this.control(tenant, request, metadata, 'pause');
  }

  @GrpcMethod(BULK_SEND_SERVICE_NAME, 'ResumeBulkSend')
  resumeBulkSend(
    @Payload() request: Decoded<pb.ResumeBulkSendRequest>,
    @Ctx() metadata: grpc.Metadata,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<Written<pb.ResumeBulkSendResponse>> {
    return this.control(tenant, request, metadata, 'resume');
  }

  @GrpcMethod(BULK_SEND_SERVICE_NAME, 'CancelBulkSend')
  cancelBulkSend(
    @Payload() request: Decoded<pb.CancelBulkSendRequest>,
    @Ctx() metadata: grpc.Metadata,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<Written<pb.CancelBulkSendResponse>> {
    return this.control(tenant, request, metadata, 'cancel');
  }

  /** Server streaming: the bulk send now, then on each committed change of it. */
  @GrpcMethod(BULK_SEND_SERVICE_NAME, 'WatchBulkSend')
  watchBulkSend(
    @Payload() request: Decoded<pb.WatchBulkSendRequest>,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Observable<Written<pb.WatchBulkSendResponse>> {
    return new Observable<Written<pb.WatchBulkSendResponse>>((subscriber) => {
      const id = request.bulk_send_id;
      const unwatch = this.parts.watchHub.watch(tenant.tenantId, (bulk) => {
        if (bulk.id !== id) return;
        subscriber.next({ bulk_send: bulkSendProto(bulk) });
      });
      this.parts.lifecycle.get(tenant, id).then(
        (bulk) => subscriber.next({ bulk_send: bulkSendProto(bulk) }),
        (error: unknown) => subscriber.error(error),
      );
      return unwatch;
    });
  }

  private async control(
    tenant: AuthenticatedTenant,
    request: { bulk_send_id: string; idempotency_key?: string | undefined },
    metadata: grpc.Metadata,
    action: BulkSendControl,
  ): Promise<{ bulk_send: Written<pb.BulkSend> }> {
    const key = resolveIdempotencyKey(metadata, request.idempotency_key);
    const bulk = await this.parts.lifecycle.control(tenant, request.bulk_send_id, action, key);
    return { bulk_send: bulkSendProto(bulk) };
  }
}

export function loadBulkSendPackage(protoDir: string): protoLoader.PackageDefinition {
  return loadContract(BULK_SEND_PROTO_FILE, protoDir);
}

@Module({})
class BulkSendGrpcModule {}

/** Bulk sends on the gRPC edge. */
export function bulkSendGrpc(protoDir: string, parts: BulkSendGrpcParts): GrpcContext {
  const module: DynamicModule = {
    module: BulkSendGrpcModule,
    controllers: [BulkSendGrpcController],
    providers: [{ provide: BULK_SEND_GRPC, useValue: parts }],
  };
  return { contract: loadBulkSendPackage(protoDir), module };
}
