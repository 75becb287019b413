import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  PROBLEM_CONTENT_TYPE,
  clientErrorProblem,
  problemOf,
} from '../problems/problem-details.js';

/**
 * The Fastify server options that make the errors raised before any route runs problem+json:
 * the router's (`frameworkErrors`: a malformed %-escape such as `/v1/messages/%ff`, a path
 * parameter over `maxParamLength`) and Node's HTTP parser's (`clientErrorHandler`).
 */
export const frameworkErrorOptions = {
  frameworkErrors: answerFrameworkError,
  clientErrorHandler: answerClientError,
};

function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const problem = problemOf(error, request.url.split('?')[0]);
  void reply.status(problem.status).header('Content-Type', PROBLEM_CONTENT_TYPE).send(problem);
}

/**
 * Fastify's `clientErrorHandler`: Node's HTTP parser refused the request (headers or request line
 * over `maxHeaderSize`, a malformed request line or header, a timeout) before Fastify had a
 * request to route, so there is no reply object; the problem is written to the socket as a whole
 * HTTP/1.1 response and the connection closed, as Node itself does. A socket already reset or
 * unwritable gets nothing: there is no one to answer.
 *
 * A response to HEAD has no body (RFC 9110 §9.3.2). There is no request object to ask, so the
 * method is read from the bytes the parser refused (see problemBodyFor). When they cannot tell (the
 * overflow was found in a later chunk than the request line), the problem is sent: every other
 * method needs it to say what went wrong, and a HEAD whose oversized headers arrived in pieces is
 * the one case left, on a connection that is closed right after. Knowing the method for sure would
 * mean reading each connection's first bytes in JavaScript, which takes Node's parser off its fast
 * path for every request.
 */
function answerClientError(
  error: Error & { code?: string; rawPacket?: unknown },
  socket: Duplex,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) {
    socket.destroy(error);
    return;
  }
  const problem = clientErrorProblem(error.code);
  const body = JSON.stringify(problem);
  const sent = problemBodyFor(error.rawPacket);
  socket.end(
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? problem.title}\r\n` +
      `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      (sent === 'head' ? '' : body),
  );
}

/** A request line's start: an upper-case method token (as every registered method is) and a space. */
const REQUEST_METHOD = /^([A-Z][A-Z0-9_-]*) /;

/**
 * Whether a client-error answer carries its problem body, from the bytes Node's parser refused
 * (`rawPacket`: the chunk it was parsing, which starts with the request line unless the request
 * arrived in pieces): `sent` for a method other than HEAD (a request that is not HTTP included),
 * `head` for HEAD (headers as for GET, no body), `method_unknown` when the chunk starts elsewhere
 * (the body is sent, see answerClientError).
 */
export function problemBodyFor(rawPacket: unknown): 'sent' | 'head' | 'method_unknown' {
  if (!Buffer.isBuffer(rawPacket)) return 'method_unknown';
  const method = REQUEST_METHOD.exec(rawPacket.subarray(0, 64).toString('latin1'))?.[1];
  if (method === undefined) return 'method_unknown';
  return method === 'HEAD' ? 'head' : 'sent';
}
