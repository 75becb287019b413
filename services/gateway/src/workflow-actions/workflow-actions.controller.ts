import { Body, Controller, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiKeyGuard } from '../http/guards.js';
import { requireTenant, type TenantRequest } from '../http/request-context.js';
import { WorkflowActionsApplication } from './workflow-actions.application.js';

@Controller('v1/workflow-actions')
@UseGuards(ApiKeyGuard)
export class WorkflowActionsController {
  constructor(private readonly workflowActions: WorkflowActionsApplication) {}

  /**
   * 202 with the message resource, the first time and on a replay of the same step (the
   * `Idempotent-Replayed` header says which); no Idempotency-Key is read: the step is the key.
   */
  @Post('send-sms')
  async sendSms(
    @Req() request: TenantRequest,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { message, replayed } = await this.workflowActions.sendStep(requireTenant(request), body);
    await reply
      .status(202)
      .header('Location', `/v1/messages/${message.id}`)
      .header('Idempotent-Replayed', String(replayed))
      .send(message);
  }
}
