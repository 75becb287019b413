import { type ArgumentsHost, Catch, Inject, type RpcExceptionFilter } from '@nestjs/common';
import { type Observable, throwError } from 'rxjs';
import { ApiError } from '../problems/api-error.js';
import { describeError, type GrpcLogger } from './grpc-server.js';
import { toGrpcFailure } from './grpc-status.js';

export const GRPC_LOGGER = Symbol('GRPC_LOGGER');

function methodOf(host: ArgumentsHost): string {
  const call: unknown = host.getArgByIndex(2);
  const getPath: unknown =
    typeof call === 'object' && call !== null ? Reflect.get(call, 'getPath') : undefined;
  return typeof getPath === 'function' ? String(Reflect.apply(getPath, call, [])) : 'unknown';
}

/**
 * What a gRPC handler (or the API-key guard) throws becomes the call's status: `ApiError`s keep
 * their meaning (grpc-status.ts), anything else is a bare INTERNAL, logged here with the method
 * since the caller learns nothing of it.
 */
@Catch()
export class GrpcFailureFilter implements RpcExceptionFilter {
  constructor(@Inject(GRPC_LOGGER) private readonly logger: GrpcLogger) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    if (!(exception instanceof ApiError)) {
      this.logger.error('gRPC call failed', {
        method: methodOf(host),
        error: describeError(exception),
      });
    }
    return throwError(() => toGrpcFailure(exception));
  }
}
