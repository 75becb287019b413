import { type ArgumentsHost, Catch, type ExceptionFilter, Inject } from '@nestjs/common';
import type { Logger } from '@textplane/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problemHeaders, problemOf } from '../problems/problem-details.js';

export const GATEWAY_LOGGER = Symbol('GATEWAY_LOGGER');

/**
 * Every error leaves as application/problem+json; unexpected ones are logged, not leaked. A 503
 * (the database or Kafka unavailable) carries Retry-After, so clients and the carrier retry.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(@Inject(GATEWAY_LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = problemOf(error, request.url.split('?')[0]);
    if (problem.status === 503) {
      this.logger.warn(
        { err: error, url: request.url },
        'request refused: a dependency is unavailable',
      );
    } else if (problem.status >= 500) {
      this.logger.error({ err: error, url: request.url }, 'request failed');
    }
    void reply.status(problem.status).headers(problemHeaders(problem)).send(problem);
  }
}
