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
 */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) {
    socket.destroy(error);
    return;
  }
  const problem = clientErrorProblem(error.code);
  const body = JSON.stringify(problem);
  socket.end(
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? problem.title}\r\n` +
      `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
