import { connect } from 'node:net';
import { Body, Controller, Get, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createLogger } from '@textplane/observability';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_CONTENT_TYPE, problemOf } from '../problems/problem-details.js';
import { frameworkErrorOptions } from './framework-errors.js';
import { ProblemFilter } from './problem.filter.js';
import { AcceptsBody, acceptOnlyDeclaredBodies } from './request-bodies.js';

@Controller()
class BodiesController {
  @Post('json')
  json(@Body() body: unknown): { received: unknown } {
    return { received: body };
  }

  @Post('signed')
  @AcceptsBody({ kind: 'signed_bytes' })
  signed(@Body() body: unknown): { bytes: number | null } {
    return { bytes: Buffer.isBuffer(body) ? body.length : null };
  }

  @Post('csv')
  @AcceptsBody({ kind: 'media', mediaTypes: ['text/csv'], limitBytes: 16 })
  csv(@Body() body: unknown): { text: string | null } {
    return { text: Buffer.isBuffer(body) ? body.toString('utf8') : null };
  }

  @Get('things/:id')
  thing(@Param('id') id: string): { id: string } {
    return { id };
  }
}

@Module({ controllers: [BodiesController] })
class BodiesModule {}

let app: NestFastifyApplication;
let base: string;
let port: number;

/** The gateway's edge, as GatewayService assembles it, around test routes. */
beforeAll(async () => {
  const adapter = new FastifyAdapter({ bodyLimit: 1024, ...frameworkErrorOptions });
  adapter.getInstance().setErrorHandler((error, request, reply) => {
    const problem = problemOf(error, request.url.split('?')[0]);
    void reply.status(problem.status).header('Content-Type', PROBLEM_CONTENT_TYPE).send(problem);
  });
  acceptOnlyDeclaredBodies(adapter.getInstance());
  app = await NestFactory.create<NestFastifyApplication>(BodiesModule, adapter, {
    logger: false,
    bodyParser: false,
  });
  app.useGlobalFilters(new ProblemFilter(createLogger('gateway-test', 'silent')));
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  port = typeof address === 'object' && address ? address.port : 0;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await app.close();
});

async function post(
  path: string,
  body: string | Uint8Array,
  headers: Record<string, string>,
): Promise<{ status: number; type: string | null; body: Record<string, unknown> }> {
  const response = await fetch(`${base}${path}`, { method: 'POST', body, headers });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

function expectProblem(
  answer: { status: number; type: string | null; body: Record<string, unknown> },
  status: number,
  code: string,
): void {
  expect(answer.status).toBe(status);
  expect(answer.type).toContain(PROBLEM_CONTENT_TYPE);
  expect(answer.body).toMatchObject({ status, code });
  expect(answer.body['detail']).toEqual(expect.stringMatching(/\w/));
}

describe('JSON routes', () => {
  it.each([
    ['application/json'],
    ['application/json; charset=utf-8'],
    ['Application/JSON; Charset="UTF-8"'],
  ])('take %s', async (type) => {
    const answer = await post('/json', '{"text":"héllo"}', { 'content-type': type });
    expect(answer).toMatchObject({ status: 201, body: { received: { text: 'héllo' } } });
  });

  it.each([
    ['form-encoded', 'application/x-www-form-urlencoded', 'to=%2B15555550123&body=hi'],
    ['text/plain', 'text/plain', '{"text":"hi"}'],
    ['a JSON-looking vendor type', 'application/vnd.api+json', '{"text":"hi"}'],
    ['multipart', 'multipart/form-data; boundary=x', '--x--'],
  ])('refuse %s with 415 naming application/json', async (_, type, body) => {
    const answer = await post('/json', body, { 'content-type': type });
    expectProblem(answer, 415, 'unsupported_media_type');
    expect(answer.body['detail']).toContain('application/json (UTF-8)');
  });

  it('refuse a body with no Content-Type with 415', async () => {
    const answer = await post('/json', new TextEncoder().encode('{"text":"hi"}'), {});
    expectProblem(answer, 415, 'unsupported_media_type');
  });

  it.each([['latin1'], ['utf-16'], ['iso-8859-1']])(
    'refuse charset=%s with 415',
    async (charset) => {
      const answer = await post('/json', '{"text":"hi"}', {
        'content-type': `application/json; charset=${charset}`,
      });
      expectProblem(answer, 415, 'unsupported_media_type');
      expect(answer.body['detail']).toContain('UTF-8');
    },
  );

  it.each([['gzip'], ['deflate'], ['br']])(
    'refuse Content-Encoding %s with 415 (the body is never decoded as-is)',
    async (encoding) => {
      const answer = await post('/json', '{"text":"hi"}', {
        'content-type': 'application/json',
        'content-encoding': encoding,
      });
      expectProblem(answer, 415, 'unsupported_content_encoding');
    },
  );

  it('take Content-Encoding identity', async () => {
    const answer = await post('/json', '{"text":"hi"}', {
      'content-type': 'application/json',
      'content-encoding': 'identity',
    });
    expect(answer.status).toBe(201);
  });

  it('refuse invalid UTF-8 with 400 rather than reading U+FFFD', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"text":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}'),
    ]);
    const answer = await post('/json', bytes, { 'content-type': 'application/json' });
    expectProblem(answer, 400, 'invalid_utf8');
  });

  it('refuse malformed JSON, an empty body and a body over the limit as problems', async () => {
    expectProblem(
      await post('/json', '{', { 'content-type': 'application/json' }),
      400,
      'malformed_json',
    );
    expectProblem(
      await post('/json', '', { 'content-type': 'application/json' }),
      400,
      'malformed_json',
    );
    expectProblem(
      await post('/json', JSON.stringify({ text: 'x'.repeat(2000) }), {
        'content-type': 'application/json',
      }),
      413,
      'payload_too_large',
    );
  });

  it('refuse __proto__ keys', async () => {
    const answer = await post('/json', '{"__proto__":{"admin":true}}', {
      'content-type': 'application/json',
    });
    expect(answer.status).toBe(400);
    expect(answer.type).toContain(PROBLEM_CONTENT_TYPE);
  });
});

describe('a route declaring signed bytes', () => {
  it.each([
    ['application/json', '{"a":1}'],
    ['text/plain', 'hello'],
    ['application/x-www-form-urlencoded', 'a=1'],
    ['application/json; charset=latin1', '{}'],
  ])('gets the exact bytes of a %s body', async (type, body) => {
    const answer = await post('/signed', body, { 'content-type': type });
    expect(answer).toMatchObject({ status: 201, body: { bytes: Buffer.byteLength(body) } });
  });

  it('gets an empty body too, with or without a type', async () => {
    expect(await post('/signed', '', { 'content-type': 'text/plain' })).toMatchObject({
      status: 201,
      body: { bytes: 0 },
    });
    expect((await fetch(`${base}/signed`, { method: 'POST' })).status).toBe(201);
  });
});

describe('a route declaring its own media types and limit', () => {
  it('takes its type, as bytes', async () => {
    const answer = await post('/csv', 'a,b\n1,2\n', { 'content-type': 'text/csv; charset=utf-8' });
    expect(answer).toMatchObject({ status: 201, body: { text: 'a,b\n1,2\n' } });
  });

  it('refuses JSON with a 415 naming its type, and a body over its own limit with 413', async () => {
    const json = await post('/csv', '{}', { 'content-type': 'application/json' });
    expectProblem(json, 415, 'unsupported_media_type');
    expect(json.body['detail']).toContain('text/csv');
    expectProblem(
      await post('/csv', 'a,b\n'.repeat(10), { 'content-type': 'text/csv' }),
      413,
      'payload_too_large',
    );
  });
});

describe("Fastify's and Node's own refusals", () => {
  it('a malformed percent-escape in the path is a 400 problem', async () => {
    const response = await fetch(`${base}/things/%ff`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    expect(await response.json()).toMatchObject({ code: 'malformed_url', instance: '/things/%ff' });
  });

  it('a path parameter over maxParamLength is a 414 problem', async () => {
    const response = await fetch(`${base}/things/${'x'.repeat(500)}`);
    expect(response.status).toBe(414);
    expect(response.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    expect(await response.json()).toMatchObject({ status: 414, code: 'uri_too_long' });
  });

  it('an unknown route is a 404 problem', async () => {
    const response = await fetch(`${base}/nowhere`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
  });

  /** What a raw HTTP/1.1 exchange on a fresh connection answers (Node's parser, not fetch's). */
  function rawExchange(request: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(request));
      let answer = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
    });
  }

  function problemIn(answer: string): Record<string, unknown> {
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head.toLowerCase()).toContain(`content-type: ${PROBLEM_CONTENT_TYPE}`);
    return JSON.parse(body) as Record<string, unknown>;
  }

  it('headers over maxHeaderSize are a 431 problem', async () => {
    const answer = await rawExchange(
      `GET /things/1 HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(problemIn(answer)).toMatchObject({ status: 431, code: 'headers_too_large' });
  });

  it('a URL over maxHeaderSize is a 431 problem too', async () => {
    const answer = await rawExchange(
      `GET /things?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(problemIn(answer)).toMatchObject({ status: 431 });
  });

  it('a request that is not HTTP is a 400 problem', async () => {
    const answer = await rawExchange('NOT HTTP AT ALL\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(problemIn(answer)).toMatchObject({ status: 400, code: 'malformed_request' });
  });
});
