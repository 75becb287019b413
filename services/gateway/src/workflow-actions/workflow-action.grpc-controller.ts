import type * as protoLoader from '@grpc/proto-loader';
import { Controller, type DynamicModule, Inject, Module } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import type * as pb from '../generated/textplane/messaging/v1/workflows.js';
import { GrpcTenant } from '../grpc/grpc-api-key.guard.js';
import type { GrpcContext } from '../grpc/grpc-edge.js';
import { loadContract } from '../grpc/proto-contracts.js';
import type { Decoded, Written } from '../grpc/proto-shapes.js';
import { toMessageProto } from '../messages/message.mapper.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { ApiError } from '../problems/api-error.js';
import type { WorkflowActionsApplication } from './workflow-actions.application.js';

export const WORKFLOW_ACTIONS_GRPC = Symbol('WORKFLOW_ACTIONS_GRPC');

export const WORKFLOW_PROTO_FILE =
  'textplane/messaging/v1/workflows.proto' satisfies typeof pb.protobufFileName;
export const WORKFLOW_SERVICE_NAME =
  `${'textplane.messaging.v1' satisfies typeof pb.protobufPackage}.WorkflowService` as const;

export type DecodedSendWorkflowMessageRequest = Decoded<pb.SendWorkflowMessageRequest>;

const PURPOSES: Readonly<Record<string, string | null>> = {
  MESSAGE_PURPOSE_UNSPECIFIED: null,
  MESSAGE_PURPOSE_CONVERSATIONAL: 'conversational',
  MESSAGE_PURPOSE_TRANSACTIONAL: 'transactional',
  MESSAGE_PURPOSE_MARKETING: 'marketing',
};

/**
 * The REST body of POST /v1/workflow-actions/send-sms for a decoded request: the one use case
 * validates both (the same rules and field names). Unset proto3 strings are empty and refused by
 * the id pattern; an unset message or window is left out.
 */
export function workflowRequestBody(request: DecodedSendWorkflowMessageRequest): unknown {
  const content = request.message;
  const window = request.time_window;
  let message: Record<string, unknown> | undefined;
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
    message = {
      ...(content.body !== undefined ? { body: content.body } : {}),
      ...(content.template_id !== undefined ? { templateId: content.template_id } : {}),
      ...(content.template_version !== undefined
        ? { templateVersion: content.template_version }
        : {}),
      ...(content.media_urls.length > 0 ? { mediaUrls: [...content.media_urls] } : {}),
      ...(purpose !== null ? { purpose } : {}),
      ...(content.from !== undefined ? { from: content.from } : {}),
    };
  }
  return {
    workflowId: request.workflow_id,
    runId: request.run_id,
    stepId: request.step_id,
    contactId: request.contact_id,
    ...(message ? { message } : {}),
    ...(window
      ? {
          timeWindow: {
            ...(window.days.length > 0 ? { days: [...window.days] } : {}),
            start: window.start,
            end: window.end,
            timeZone: window.time_zone,
          },
        }
      : {}),
  };
}

/** textplane.messaging.v1.WorkflowService over the REST use case (same rules, same errors). */
@Controller()
export class WorkflowGrpcController {
  constructor(
    @Inject(WORKFLOW_ACTIONS_GRPC) private readonly workflowActions: WorkflowActionsApplication,
  ) {}

  @GrpcMethod(WORKFLOW_SERVICE_NAME, 'SendWorkflowMessage')
  async sendWorkflowMessage(
    @Payload() request: DecodedSendWorkflowMessageRequest,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<Written<pb.SendWorkflowMessageResponse>> {
    const { message, replayed } = await this.workflowActions.sendStep(
      tenant,
      workflowRequestBody(request),
    );
    return { message: toMessageProto(message), replayed };
  }
}

export function loadWorkflowPackage(protoDir: string): protoLoader.PackageDefinition {
  return loadContract(WORKFLOW_PROTO_FILE, protoDir);
}

@Module({})
class WorkflowGrpcModule {}

/** The workflow action on the gRPC edge. */
export function workflowGrpc(
  protoDir: string,
  workflowActions: WorkflowActionsApplication,
): GrpcContext {
  const module: DynamicModule = {
    module: WorkflowGrpcModule,
    controllers: [WorkflowGrpcController],
    providers: [{ provide: WORKFLOW_ACTIONS_GRPC, useValue: workflowActions }],
  };
  return { contract: loadWorkflowPackage(protoDir), module };
}
