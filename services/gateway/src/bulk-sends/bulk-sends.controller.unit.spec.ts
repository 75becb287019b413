import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createLogger } from '@textplane/observability';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameworkErrorOptions } from '../http/framework-errors.js';
import { ApiKeyGuard } from '../http/guards.js';
import { ProblemFilter } from '../http/problem.filter.js';
import { acceptOnlyDeclaredBodies } from '../http/request-bodies.js';
import { PROBLEM_CONTENT_TYPE, problemOf } from '../problems/problem-details.js';
import { TenantDirectory } from '../tenants/tenant-directory.js';
import { BulkSendLifecycle } from './bulk-send-lifecycle.application.js';
import { BulkSendsApplication } from './bulk-sends.application.js';
import { BULK_SEND_BODY_LIMIT_BYTES, BulkSendsController } from './bulk-sends.controller.js';

/** What the fake application was given: the route's own body limit lets 100,000 ids through. */
let received: unknown = null;

const fakeApplication = {
  preview: (_tenant: unknown, body: unknown) => {
    received = body;
    return Promise.resolve({ previewed: true });
  },
};
const fakeLifecycle = {
  create: (_tenant: unknown, body: unknown) => {
    received = body;
    return Promise.resolve({ bulkSend: { id: 'b' }, replayed: false });
  },
};
const fakeTenants = {
  authenticate: (key: string) =>
    Promise.resolve(key === 'good' ? { tenantId: 't', keyId: 'k' } : null),
};

@Module({
  controllers: [BulkSendsController],
  providers: [
    { provide: BulkSendsApplication, useValue: fakeApplication },
    { provide: BulkSendLifecycle, useValue: fakeLifecycle },
    { provide: TenantDirectory, useValue: fakeTenants },
    ApiKeyGuard,
  ],
})
class BulkSendsTestModule {}

let app: NestFastifyApplication;
let base: string;

beforeAll(async () => {
  // The gateway's default body limit (GATEWAY_BODY_LIMIT_BYTES), as GatewayService sets it.
  const adapter = new FastifyAdapter({ bodyLimit: 64 * 1024, ...frameworkErrorOptions });
  adapter.getInstance().setErrorHandler((error, request, reply) => {
    const problem = problemOf(error, request.url.split('?')[0]);
    void reply.status(problem.status).header('Content-Type', PROBLEM_CONTENT_TYPE).send(problem);
  });
  acceptOnlyDeclaredBodies(adapter.getInstance());
  app = await NestFactory.create<NestFastifyApplication>(BulkSendsTestModule, adapter, {
    logger: false,
    bodyParser: false,
  });
  app.useGlobalFilters(new ProblemFilter(createLogger('gateway-test', 'silent')));
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await app.close();
});

function post(body: string): Promise<Response> {
  return fetch(`${base}/v1/bulk-sends/preview`, {
    method: 'POST',
    headers: { authorization: 'Bearer good', 'content-type': 'application/json' },
    body,
  });
}

describe('POST /v1/bulk-sends/preview', () => {
  it('takes 100,000 contact ids of the longest kind (128 characters), answering 200', async () => {
    const contactIds = Array.from({ length: 100_000 }, (_, i) => String(i).padStart(128, 'x'));
    const body = JSON.stringify({
      recipients: { contactIds },
      message: { body: 'Hi' },
      delivery: { mode: 'now' },
    });
    expect(body.length).toBeGreaterThan(13_000_000);
    const response = await post(body);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ previewed: true });
    expect(
      (received as { recipients: { contactIds: string[] } }).recipients.contactIds,
    ).toHaveLength(100_000);
  });

  it('refuses a body over its own limit with a 413 problem', async () => {
    const response = await post(
      JSON.stringify({ padding: 'x'.repeat(BULK_SEND_BODY_LIMIT_BYTES) }),
    );
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('needs an API key', async () => {
    const response = await fetch(`${base}/v1/bulk-sends/preview`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(401);
  });
});

describe('POST /v1/bulk-sends', () => {
  it('takes the same 16 MiB body as the preview, answering 202 with Location', async () => {
    const contactIds = Array.from({ length: 100_000 }, (_, i) => String(i).padStart(128, 'x'));
    const response = await fetch(`${base}/v1/bulk-sends`, {
      method: 'POST',
      headers: { authorization: 'Bearer good', 'content-type': 'application/json' },
      body: JSON.stringify({
        recipients: { contactIds },
        message: { body: 'Hi' },
        delivery: { mode: 'now' },
      }),
    });
    expect(response.status).toBe(202);
    expect(response.headers.get('location')).toBe('/v1/bulk-sends/b');
    expect(response.headers.get('idempotent-replayed')).toBe('false');
    expect(await response.json()).toEqual({ id: 'b' });
  });
});
