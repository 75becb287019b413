import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import { ApiError, echoed } from '../problems/api-error.js';
import { toGrpcFailure, type GrpcFailure } from './grpc-status.js';

/**
 * What a request message that does not decode becomes. grpc-js answers a deserializer that throws
 * with INTERNAL "Error deserializing request", blaming the server for the caller's bytes; handing
 * the handler this marker instead lets the call fail with INVALID_ARGUMENT.
 */
class UndecodableRequest {
  constructor(readonly reason: string | null) {}
}

type Method = grpc.MethodDefinition<unknown, unknown>;

/** A fault in the request's bytes, described for the caller (our words, never the decoder's). */
class WireFault extends Error {}

function malformedRequest(path: string, reason: string | null): GrpcFailure {
  const what = `The request is not a valid protobuf encoding of ${path}'s request message`;
  return toGrpcFailure(
    new ApiError(
      'invalid_request',
      'malformed_request',
      reason === null ? `${what}.` : `${what}: ${reason}.`,
    ),
  );
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;
/** Deeper than any request the contracts define; a bound, so that nesting cannot exhaust the stack. */
const MAX_NESTING = 32;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function wireTypeOf(field: protobuf.Field): number {
  if (field.map || field.resolvedType instanceof protobuf.Type) return WIRE_LENGTH_DELIMITED;
  if (field.resolvedType instanceof protobuf.Enum) return WIRE_VARINT;
  switch (field.type) {
    case 'string':
    case 'bytes':
      return WIRE_LENGTH_DELIMITED;
    case 'double':
    case 'fixed64':
    case 'sfixed64':
      return WIRE_FIXED64;
    case 'float':
    case 'fixed32':
    case 'sfixed32':
      return WIRE_FIXED32;
    default:
      return WIRE_VARINT;
  }
}

/**
 * Checks the bytes of one message against its type, as protobufjs does not: it cuts a string that
 * runs past the end instead of refusing it, reads a field of the wrong wire type as garbage, and
 * replaces invalid UTF-8 (which proto3 forbids in a string) with U+FFFD.
 */
function checkMessage(
  type: protobuf.Type,
  reader: protobuf.Reader,
  end: number,
  path: string,
  depth: number,
): void {
  if (depth > MAX_NESTING) throw new WireFault(`messages nest deeper than ${MAX_NESTING}`);
  while (reader.pos < end) {
    const tag = reader.uint32();
    const fieldNumber = tag >>> 3;
    const wireType = tag & 7;
    if (fieldNumber === 0) throw new WireFault('a field has number 0');
    const field: protobuf.Field | undefined = type.fieldsById[fieldNumber];
    if (field === undefined) {
      // An unknown field (a newer client's) is skipped, as protobuf readers do.
      reader.skipType(wireType);
    } else {
      const name = path === '' ? field.name : `${path}.${field.name}`;
      const expected = wireTypeOf(field);
      const packed = field.repeated && expected !== WIRE_LENGTH_DELIMITED;
      if (wireType !== expected && !(packed && wireType === WIRE_LENGTH_DELIMITED)) {
        throw new WireFault(`${name} has wire type ${wireType}, not ${expected}`);
      }
      if (wireType === WIRE_LENGTH_DELIMITED) {
        const length = reader.uint32();
        const start = reader.pos;
        if (length > end - start) throw new WireFault(`${name} runs past the end of its message`);
        if (field.resolvedType instanceof protobuf.Type && !field.map) {
          checkMessage(field.resolvedType, reader, start + length, name, depth + 1);
        } else if (field.type === 'string' && !field.map) {
          try {
            utf8.decode(reader.buf.subarray(start, start + length));
          } catch {
            throw new WireFault(`${name} is not valid UTF-8`);
          }
        }
        reader.pos = start + length;
      } else {
        reader.skipType(wireType);
      }
    }
    if (reader.pos > end) throw new WireFault('a field runs past the end of its message');
  }
}

interface ProtoLoaderMessageType {
  fileDescriptorProtos: Buffer[];
}

function isProtoLoaderMessageType(value: unknown): value is ProtoLoaderMessageType {
  if (typeof value !== 'object' || value === null) return false;
  const files: unknown = Reflect.get(value, 'fileDescriptorProtos');
  return Array.isArray(files) && files.every((file) => Buffer.isBuffer(file));
}

/** Roots rebuilt from the descriptors proto-loader keeps, one per loaded package. */
const roots = new WeakMap<Buffer[], protobuf.Root>();

function rootOf(files: Buffer[]): protobuf.Root {
  const known = roots.get(files);
  if (known !== undefined) return known;
  // The descriptor extension adds Root.fromDescriptor at run time; its typings do not declare it.
  const fromDescriptor: unknown = Reflect.get(protobuf.Root, 'fromDescriptor');
  if (typeof fromDescriptor !== 'function') {
    throw new Error('protobufjs/ext/descriptor did not install Root.fromDescriptor');
  }
  const set = descriptor.FileDescriptorSet.fromObject({
    file: files.map((file) => descriptor.FileDescriptorProto.decode(file)),
  });
  const root: unknown = Reflect.apply(fromDescriptor, protobuf.Root, [set]);
  if (!(root instanceof protobuf.Root)) throw new Error('Root.fromDescriptor built no Root');
  root.resolveAll();
  roots.set(files, root);
  return root;
}

/**
 * The protobufjs type of a method's request, when the method comes from proto-loader (which keeps
 * the file descriptors); null for a hand-made definition, which is then only decoded.
 */
function requestTypeOf(method: Method): protobuf.Type | null {
  const requestType: unknown = Reflect.get(method, 'requestType');
  if (!isProtoLoaderMessageType(requestType)) return null;
  const [, serviceName, methodName] = /^\/([^/]+)\/([^/]+)$/.exec(method.path) ?? [];
  if (serviceName === undefined || methodName === undefined) return null;
  const resolved = rootOf(requestType.fileDescriptorProtos).lookupService(serviceName).methods[
    methodName
  ]?.resolvedRequestType;
  return resolved ?? null;
}

function tolerantMethod(method: Method): Method {
  const type = requestTypeOf(method);
  return {
    ...method,
    requestDeserialize: (bytes: Buffer): unknown => {
      try {
        if (type !== null) checkMessage(type, protobuf.Reader.create(bytes), bytes.length, '', 0);
        return method.requestDeserialize(bytes);
      } catch (error) {
        return new UndecodableRequest(error instanceof WireFault ? error.message : null);
      }
    },
  };
}

/**
 * Request streams get their messages through `push`: the marker is kept out of the handler's
 * stream and the call fails instead, once.
 */
function refuseUndecodableMessages(
  stream: grpc.ServerReadableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>,
  refuse: (request: UndecodableRequest) => void,
): void {
  const push = stream.push.bind(stream);
  let refused = false;
  stream.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
    if (chunk instanceof UndecodableRequest && !refused) {
      refused = true;
      refuse(chunk);
    }
    return refused ? false : push(chunk, encoding);
  };
}

/**
 * The most of a status's details sent, in characters: a library's handler may quote the caller
 * (health's "Health status unknown for service <name>"), and details travel in a trailer that
 * clients refuse past their metadata limit (8 kB in gRPC C-core), leaving the caller with a
 * transport error instead of the status. The gateway's own errors are bounded the same way
 * (grpc-status.ts).
 */
const MAX_STATUS_DETAILS = 1000;

/** What a unary handler fails a call with (grpc-js exports no name for it). */
type UnaryFailure = NonNullable<Parameters<grpc.sendUnaryData<unknown>>[0]>;

/** The status a handler answered with, its details cut to `MAX_STATUS_DETAILS`. */
function bounded(error: UnaryFailure): UnaryFailure {
  if (typeof error.details === 'string') {
    return error.details.length <= MAX_STATUS_DETAILS
      ? error
      : { ...error, details: echoed(error.details, MAX_STATUS_DETAILS) };
  }
  // grpc-js reports an Error's message when it has no details.
  if (!(error instanceof Error) || error.message.length <= MAX_STATUS_DETAILS) return error;
  return {
    ...(error.code === undefined ? {} : { code: error.code }),
    details: echoed(error.message, MAX_STATUS_DETAILS),
    ...(error.metadata === undefined ? {} : { metadata: error.metadata }),
  };
}

function guardedHandler(
  method: Method,
  handler: grpc.UntypedHandleCall,
  implementation: grpc.UntypedServiceImplementation,
): grpc.UntypedHandleCall {
  const refusal = (request: UndecodableRequest): GrpcFailure =>
    malformedRequest(method.path, request.reason);
  if (!method.requestStream && !method.responseStream) {
    const unary = handler as grpc.handleUnaryCall<unknown, unknown>;
    return (
      call: grpc.ServerUnaryCall<unknown, unknown>,
      callback: grpc.sendUnaryData<unknown>,
    ) => {
      if (call.request instanceof UndecodableRequest) {
        callback(refusal(call.request));
        return;
      }
      unary.call(implementation, call, (error, value, trailer, flags) =>
        callback(error === null ? null : bounded(error), value, trailer, flags),
      );
    };
  }
  if (!method.requestStream) {
    const serverStreaming = handler as grpc.handleServerStreamingCall<unknown, unknown>;
    return (call: grpc.ServerWritableStream<unknown, unknown>) => {
      if (call.request instanceof UndecodableRequest) call.emit('error', refusal(call.request));
      else serverStreaming.call(implementation, call);
    };
  }
  if (!method.responseStream) {
    const clientStreaming = handler as grpc.handleClientStreamingCall<unknown, unknown>;
    return (
      call: grpc.ServerReadableStream<unknown, unknown>,
      callback: grpc.sendUnaryData<unknown>,
    ) => {
      refuseUndecodableMessages(call, (request) => callback(refusal(request)));
      clientStreaming.call(implementation, call, callback);
    };
  }
  const bidi = handler as grpc.handleBidiStreamingCall<unknown, unknown>;
  return (call: grpc.ServerDuplexStream<unknown, unknown>) => {
    refuseUndecodableMessages(call, (request) => call.emit('error', refusal(request)));
    bidi.call(implementation, call);
  };
}

/**
 * A grpc-js server on which every service, the gateway's own and those that libraries add
 * (health, reflection), answers undecodable request bytes with INVALID_ARGUMENT, and no unary
 * status carries unbounded details.
 */
export class GuardedServer extends grpc.Server {
  override addService(
    service: grpc.ServiceDefinition,
    implementation: grpc.UntypedServiceImplementation,
  ): void {
    const methods: Record<string, Method> = {};
    const handlers: grpc.UntypedServiceImplementation = {};
    for (const [name, method] of Object.entries(service)) {
      methods[name] = tolerantMethod(method);
      // grpc-js finds a handler by the method's name or by its original (lowerCamel) name.
      const handler =
        implementation[name] ??
        (method.originalName === undefined ? undefined : implementation[method.originalName]);
      if (handler !== undefined) handlers[name] = guardedHandler(method, handler, implementation);
    }
    super.addService(methods, handlers);
  }
}
