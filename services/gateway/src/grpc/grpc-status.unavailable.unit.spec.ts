import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../problems/api-error.js';
import { RETRY_AFTER_KEY, STATUS_DETAILS_KEY, toGrpcFailure } from './grpc-status.js';

// google.rpc.Status with the detail messages it may carry, as googleapis defines them.
const { root } = protobuf.parse(`
  syntax = "proto3";
  package google.rpc;
  message Any { string type_url = 1; bytes value = 2; }
  message Status { int32 code = 1; string message = 2; repeated Any details = 3; }
  message ErrorInfo { string reason = 1; string domain = 2; }
  message Duration { int64 seconds = 1; int32 nanos = 2; }
  message RetryInfo { Duration retry_delay = 1; }
`);

interface DecodedStatus {
  code: number;
  details: { typeUrl: string; value: Uint8Array }[];
}

function decode<T>(type: string, bytes: Uint8Array): T {
  const message = root.lookupType(`google.rpc.${type}`);
  return message.toObject(message.decode(bytes), { longs: Number }) as T;
}

function statusOf(metadata: grpc.Metadata): DecodedStatus {
  const [bytes] = metadata.get(STATUS_DETAILS_KEY);
  if (!Buffer.isBuffer(bytes)) throw new Error('no status details');
  return decode<DecodedStatus>('Status', bytes);
}

const startingUp = Object.assign(new Error('the database system is starting up'), {
  code: '57P03',
});

describe('toGrpcFailure, while a dependency is unavailable', () => {
  it('given the database starting up, then UNAVAILABLE with retry-after and google.rpc.RetryInfo', () => {
    const failure = toGrpcFailure(startingUp);
    expect(failure.code).toBe(grpc.status.UNAVAILABLE);
    expect(failure.details).toBe(
      'The service cannot reach its database right now. Retry in 5 seconds; a retry with the same Idempotency-Key is safe.',
    );
    expect(failure.metadata.get(RETRY_AFTER_KEY)).toEqual(['5']);
    const status = statusOf(failure.metadata);
    expect(status.code).toBe(grpc.status.UNAVAILABLE);
    const byType = new Map(status.details.map((detail) => [detail.typeUrl, detail.value]));
    const errorInfo = byType.get('type.googleapis.com/google.rpc.ErrorInfo');
    const retryInfo = byType.get('type.googleapis.com/google.rpc.RetryInfo');
    expect(errorInfo && decode('ErrorInfo', errorInfo)).toEqual({
      reason: 'SERVICE_UNAVAILABLE',
      domain: 'textplane',
    });
    expect(retryInfo && decode('RetryInfo', retryInfo)).toEqual({ retryDelay: { seconds: 5 } });
  });

  it('given an internal fault, then a bare INTERNAL without a retry hint', () => {
    const failure = toGrpcFailure(new Error('undefined is not a function'));
    expect(failure.code).toBe(grpc.status.INTERNAL);
    expect(failure.details).toBe('Internal error.');
    expect(failure.metadata.get(RETRY_AFTER_KEY)).toEqual([]);
    expect(failure.metadata.get(STATUS_DETAILS_KEY)).toEqual([]);
  });

  it('given a client error, then its status without a retry hint', () => {
    const failure = toGrpcFailure(ApiError.invalid('bad'));
    expect(failure.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(failure.metadata.get(RETRY_AFTER_KEY)).toEqual([]);
    const types = statusOf(failure.metadata).details.map((detail) => detail.typeUrl);
    expect(types).not.toContain('type.googleapis.com/google.rpc.RetryInfo');
  });
});
