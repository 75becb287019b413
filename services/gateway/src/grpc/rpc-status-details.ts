import type { FieldViolation } from '../problems/api-error.js';

/**
 * Encodes a `google.rpc.Status` for the `grpc-status-details-bin` trailer, the standard carrier
 * of rich error details that grpcurl and Google's client libraries decode. Hand-written because
 * only three small messages are needed; the field numbers are those of googleapis
 * google/rpc/status.proto and google/rpc/error_details.proto.
 */

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function tag(fieldNumber: number, wireType: number): Buffer {
  return varint(fieldNumber * 8 + wireType);
}

function bytesField(fieldNumber: number, value: Buffer): Buffer {
  return Buffer.concat([tag(fieldNumber, WIRE_LENGTH_DELIMITED), varint(value.length), value]);
}

function stringField(fieldNumber: number, value: string): Buffer {
  return bytesField(fieldNumber, Buffer.from(value, 'utf8'));
}

/** google.protobuf.Any wrapping an already encoded message. */
function any(typeName: string, value: Buffer): Buffer {
  return Buffer.concat([stringField(1, `type.googleapis.com/${typeName}`), bytesField(2, value)]);
}

/** google.rpc.ErrorInfo: reason (1), domain (2). */
function errorInfo(reason: string, domain: string): Buffer {
  return Buffer.concat([stringField(1, reason), stringField(2, domain)]);
}

/** google.rpc.BadRequest: repeated FieldViolation field_violations (1) = { field (1), description (2) }. */
function badRequest(violations: readonly FieldViolation[]): Buffer {
  return Buffer.concat(
    violations.map((violation) =>
      bytesField(
        1,
        Buffer.concat([stringField(1, violation.field), stringField(2, violation.message)]),
      ),
    ),
  );
}

/** google.rpc.RetryInfo: retry_delay (1) = google.protobuf.Duration { seconds (1) }. */
function retryInfo(delaySeconds: number): Buffer {
  return bytesField(1, Buffer.concat([tag(1, WIRE_VARINT), varint(delaySeconds)]));
}

export interface RpcStatusDetails {
  code: number;
  message: string;
  /** google.rpc.ErrorInfo.reason: UPPER_SNAKE_CASE, stable. */
  reason: string;
  domain: string;
  violations: readonly FieldViolation[];
  /** google.rpc.RetryInfo: how long the caller should wait before retrying, in whole seconds. */
  retryDelaySeconds?: number;
}

/** google.rpc.Status: code (1), message (2), repeated Any details (3). */
export function encodeRpcStatus(status: RpcStatusDetails): Buffer {
  const details = [any('google.rpc.ErrorInfo', errorInfo(status.reason, status.domain))];
  if (status.violations.length > 0) {
    details.push(any('google.rpc.BadRequest', badRequest(status.violations)));
  }
  if (status.retryDelaySeconds !== undefined) {
    details.push(any('google.rpc.RetryInfo', retryInfo(status.retryDelaySeconds)));
  }
  return Buffer.concat([
    tag(1, WIRE_VARINT),
    varint(status.code),
    stringField(2, status.message),
    ...details.map((detail) => bytesField(3, detail)),
  ]);
}
