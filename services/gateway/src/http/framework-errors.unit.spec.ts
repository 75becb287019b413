import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_CONTENT_TYPE } from '../problems/problem-details.js';
import { frameworkErrorOptions, problemBodyFor } from './framework-errors.js';

let server: FastifyInstance;
let port: number;

beforeAll(async () => {
  server = Fastify(frameworkErrorOptions);
  server.get('/openapi.json', () => ({ openapi: '3.1.0' }));
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});

afterAll(async () => {
  await server.close();
});

/** The header the fuzz suite sent: far over Node's 16 KiB maxHeaderSize. */
const OVERSIZED_HEADER = `x-fuzz: ${'h'.repeat(70_000)}`;

/** What a raw HTTP/1.1 exchange on a fresh connection answers, split at the end of the head. */
function rawExchange(request: string): Promise<{ head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => {
      const end = answer.indexOf('\r\n\r\n');
      resolve({ head: answer.slice(0, end), body: answer.slice(end + 4) });
    });
    socket.on('error', reject);
  });
}

describe("a client error from Node's parser", () => {
  it('answers HEAD with the status and headers and no body', async () => {
    const { head, body } = await rawExchange(
      `HEAD /openapi.json HTTP/1.1\r\nHost: x\r\n${OVERSIZED_HEADER}\r\n\r\n`,
    );
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(head.toLowerCase()).toContain(`content-type: ${PROBLEM_CONTENT_TYPE}`);
    expect(head.toLowerCase()).toContain('connection: close');
    expect(body).toBe('');
  });

  it("answers HEAD so that Node's own HTTP client reads it without a parse error", async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const sent = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'HEAD',
          path: '/openapi.json',
          headers: { 'x-fuzz': 'h'.repeat(70_000) },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode));
        },
      );
      sent.on('error', reject);
      sent.end();
    });
    expect(status).toBe(431);
  });

  it('sends the problem when the overflow is found after the request line was parsed', async () => {
    // The request line and a first header arrive alone; the oversized header follows in a later
    // packet, so the bytes the parser refuses do not show the method.
    const answer = await new Promise<string>((resolve, reject) => {
      let received = '';
      const socket = connect(port, '127.0.0.1', () => {
        socket.write('GET /openapi.json HTTP/1.1\r\nHost: x\r\n', () => {
          setTimeout(() => socket.write(`${OVERSIZED_HEADER}\r\n\r\n`), 50);
        });
      });
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (received += chunk));
      socket.on('end', () => resolve(received));
      socket.on('error', reject);
    });
    const end = answer.indexOf('\r\n\r\n');
    expect(answer.slice(0, end)).toMatch(/^HTTP\/1\.1 431 /);
    const problem = JSON.parse(answer.slice(end + 4)) as Record<string, unknown>;
    expect(problem).toMatchObject({ status: 431, code: 'headers_too_large' });
    expect(problem['detail']).toEqual(expect.stringMatching(/\S/));
  });

  it('answers GET with the same header with the problem as its body', async () => {
    const { head, body } = await rawExchange(
      `GET /openapi.json HTTP/1.1\r\nHost: x\r\n${OVERSIZED_HEADER}\r\n\r\n`,
    );
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(head).toContain(`Content-Length: ${Buffer.byteLength(body)}`);
    expect(JSON.parse(body)).toMatchObject({ status: 431, code: 'headers_too_large' });
  });

  it('answers a request that is not HTTP with the problem as its body', async () => {
    const { head, body } = await rawExchange('NOT HTTP AT ALL\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(body)).toMatchObject({ status: 400, code: 'malformed_request' });
  });
});

describe('problemBodyFor: whether the refused bytes show a method other than HEAD', () => {
  it.each([
    ['GET /openapi.json HTTP/1.1\r\nHost: x', 'sent'],
    ['POST /v1/messages HTTP/1.1\r\n', 'sent'],
    ['NOT HTTP AT ALL\r\n\r\n', 'sent'],
    ['HEAD /openapi.json HTTP/1.1\r\nHost: x', 'head'],
    // A chunk from the middle of the headers: the request line came earlier and may be HEAD.
    ['hhhhhhhhhhhhhhhhhhhhhhhhhhhhhh', 'method_unknown'],
    ['Host: x\r\nx-fuzz: hhhh', 'method_unknown'],
    ['hh hh hh', 'method_unknown'],
    ['', 'method_unknown'],
  ])('%j → %s', (chunk, expected) => {
    expect(problemBodyFor(Buffer.from(chunk, 'latin1'))).toBe(expected);
  });

  it('cannot tell without the bytes', () => {
    expect(problemBodyFor(undefined)).toBe('method_unknown');
  });
});
