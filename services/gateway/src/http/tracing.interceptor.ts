import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { withSpan } from '@textplane/observability';
import type { FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';

/**
 * Each request runs in a server span that continues the caller's W3C traceparent, so the events
 * it appends carry the trace on through Kafka to the delivery receipt.
 */
@Injectable()
export class TracingInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const route = request.routeOptions.url ?? request.url;
    const traceparent = request.headers.traceparent;
    return from(
      withSpan(
        `${request.method} ${route}`,
        {
          kind: 'server',
          ...(typeof traceparent === 'string' ? { traceparent } : {}),
          attributes: { 'http.request.method': request.method, 'http.route': route },
        },
        () => lastValueFrom(next.handle(), { defaultValue: undefined }),
      ),
    );
  }
}
