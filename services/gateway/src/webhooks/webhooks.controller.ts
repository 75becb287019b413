import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AcceptsBody } from '../http/request-bodies.js';
import { TelnyxWebhookReceiver } from './telnyx-webhook-receiver.js';

@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly receiver: TelnyxWebhookReceiver) {}

  /**
   * Telnyx messaging webhooks. The signature covers the raw body, so the bytes are taken whatever
   * their content type (or none) and verified before anything is parsed: an unsigned body of any
   * kind, empty included, is 401.
   */
  @Post('telnyx')
  @HttpCode(200)
  @AcceptsBody({ kind: 'signed_bytes' })
  async telnyx(
    @Req() request: FastifyRequest,
    @Body() body: unknown,
  ): Promise<{ received: true; duplicate: boolean }> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string') headers[name] = value;
    }
    const rawBody = Buffer.isBuffer(body) ? body.toString('utf8') : '';
    const outcome = await this.receiver.receive(rawBody, headers);
    return { received: true, duplicate: outcome === 'duplicate' };
  }
}
