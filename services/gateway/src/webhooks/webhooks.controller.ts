import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../problems/api-error.js';
import { TelnyxWebhookReceiver } from './telnyx-webhook-receiver.js';

@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly receiver: TelnyxWebhookReceiver) {}

  /** Telnyx messaging webhooks; the signature covers the raw body, so that is what is verified. */
  @Post('telnyx')
  @HttpCode(200)
  async telnyx(
    @Req() request: RawBodyRequest<FastifyRequest>,
  ): Promise<{ received: true; duplicate: boolean }> {
    if (!request.rawBody) throw ApiError.invalid('The webhook has no body');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string') headers[name] = value;
    }
    const outcome = await this.receiver.receive(request.rawBody.toString('utf8'), headers);
    return { received: true, duplicate: outcome === 'duplicate' };
  }
}
