import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import fc from 'fast-check';
import { anyCursor, anyString } from './fuzz-values.js';

const protoDir = fileURLToPath(new URL('../../../../../proto', import.meta.url));

interface FieldDescriptor {
  readonly name: string;
  readonly label: string;
  readonly type: string;
  readonly typeName: string;
}

export interface GrpcMethod {
  /** e.g. `textplane.consent.v1.ConsentService/GrantConsent`. */
  readonly name: string;
  readonly path: string;
  readonly requestType: string;
  readonly serialize: (message: unknown) => Buffer;
}

function protoFiles(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return protoFiles(full, base);
    return entry.name.endsWith('.proto') ? [path.relative(base, full)] : [];
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every unary method of every service under proto/textplane, with generators for its request
 * messages built from the descriptors: a method added to a .proto is fuzzed without a change here.
 * Server-streaming methods are left out: a stream that is accepted stays open until cancelled,
 * so there is no answer to judge.
 */
export class GrpcSurface {
  readonly methods: readonly GrpcMethod[];
  readonly #definition: protoLoader.PackageDefinition;

  constructor() {
    this.#definition = protoLoader.loadSync(
      protoFiles(path.join(protoDir, 'textplane'), protoDir),
      {
        includeDirs: [protoDir],
        keepCase: true,
        longs: String,
        enums: String,
        defaults: true,
        oneofs: true,
      },
    );
    const methods: GrpcMethod[] = [];
    for (const [serviceName, service] of Object.entries(this.#definition)) {
      if (!serviceName.startsWith('textplane.') || 'format' in service) continue;
      for (const [methodName, method] of Object.entries(service)) {
        if (method.requestStream || method.responseStream) continue;
        const requestType = method.requestType as { type?: { name?: unknown } };
        const typeName = `${serviceName.slice(0, serviceName.lastIndexOf('.'))}.${String(requestType.type?.name)}`;
        methods.push({
          name: `${serviceName}/${methodName}`,
          path: method.path,
          requestType: typeName,
          serialize: (message) => method.requestSerialize(isRecord(message) ? message : {}),
        });
      }
    }
    this.methods = methods;
  }

  #type(
    name: string,
    scope: string,
  ): { fullName: string; descriptor: Record<string, unknown> } | undefined {
    const bare = name.replace(/^\./, '');
    for (const candidate of [bare, `${scope}.${bare}`]) {
      const entry = this.#definition[candidate];
      if (entry !== undefined && 'format' in entry && isRecord(entry.type)) {
        return { fullName: candidate, descriptor: entry.type };
      }
    }
    return undefined;
  }

  /** A request message of `typeName`: every field optional, values odd or plausible. */
  message(typeName: string, hints: GrpcHints, depth = 0): fc.Arbitrary<Record<string, unknown>> {
    const type = this.#type(typeName, '');
    if (type === undefined || depth > 3) return fc.constant({});
    const scope = type.fullName.slice(0, type.fullName.lastIndexOf('.'));
    const fields = Array.isArray(type.descriptor['field'])
      ? (type.descriptor['field'] as FieldDescriptor[])
      : [];
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const field of fields) {
      const one = this.#field(field, scope, hints, depth);
      model[field.name] = field.label === 'LABEL_REPEATED' ? fc.array(one, { maxLength: 3 }) : one;
    }
    return fc.record(model, { requiredKeys: [] });
  }

  #field(
    field: FieldDescriptor,
    scope: string,
    hints: GrpcHints,
    depth: number,
  ): fc.Arbitrary<unknown> {
    switch (field.type) {
      case 'TYPE_STRING':
        return stringField(field.name, hints);
      case 'TYPE_BYTES':
        return fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b));
      case 'TYPE_BOOL':
        return fc.boolean();
      case 'TYPE_INT32':
      case 'TYPE_SINT32':
      case 'TYPE_SFIXED32':
        return fc.oneof(
          fc.integer(),
          fc.constantFrom(0, 1, -1, -5, 50, 100, 101, 2 ** 31 - 1, -(2 ** 31)),
        );
      case 'TYPE_UINT32':
      case 'TYPE_FIXED32':
        return fc.integer({ min: 0, max: 2 ** 32 - 1 });
      case 'TYPE_INT64':
      case 'TYPE_SINT64':
      case 'TYPE_SFIXED64':
        return fc.oneof(
          fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
          fc.constantFrom(
            '99999999999999',
            '-62135596801',
            '253402300800',
            '0',
            '1767225600',
            '-1',
          ),
          fc.integer({ min: 0, max: 4_102_444_800 }).map(String),
        );
      case 'TYPE_UINT64':
      case 'TYPE_FIXED64':
        return fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String);
      case 'TYPE_DOUBLE':
      case 'TYPE_FLOAT':
        return fc.double();
      case 'TYPE_ENUM': {
        const type = this.#type(field.typeName, scope);
        const values = Array.isArray(type?.descriptor['value'])
          ? (type.descriptor['value'] as Array<{ name: string; number: number }>)
          : [];
        return fc.oneof(
          {
            weight: 4,
            arbitrary:
              values.length > 0 ? fc.constantFrom(...values.map((v) => v.name)) : fc.constant(0),
          },
          { weight: 1, arbitrary: fc.integer({ min: -3, max: 1_000 }) },
        );
      }
      case 'TYPE_MESSAGE': {
        const type = this.#type(field.typeName, scope);
        return type === undefined ? fc.constant({}) : this.message(type.fullName, hints, depth + 1);
      }
      default:
        return fc.constant(undefined);
    }
  }
}

export interface GrpcHints {
  readonly phone: string;
  readonly messageId: string;
}

function stringField(name: string, hints: GrpcHints): fc.Arbitrary<string> {
  const plausible: fc.Arbitrary<string> | undefined =
    name === 'phone' || name === 'to' || name === 'from'
      ? fc.oneof(fc.constant(hints.phone), fc.stringMatching(/^\+1555\d{7}$/))
      : name === 'id' || name.endsWith('_id')
        ? fc.oneof(fc.constant(hints.messageId), fc.uuid())
        : name === 'page_token'
          ? anyCursor
          : name === 'idempotency_key'
            ? fc.oneof(fc.uuid(), fc.string({ minLength: 250, maxLength: 300 }))
            : name.endsWith('url')
              ? fc.webUrl()
              : undefined;
  return plausible === undefined
    ? anyString
    : fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 2, arbitrary: anyString });
}

/** A gRPC request as generated: a message, bytes that are not one, or a message cut or bent. */
export type GrpcPayload =
  | { readonly kind: 'message'; readonly message: Record<string, unknown> }
  | { readonly kind: 'bytes'; readonly base64: string }
  | {
      readonly kind: 'mangled';
      readonly message: Record<string, unknown>;
      readonly cut: number;
      readonly flip: number;
    };

export interface GrpcCase {
  readonly payload: GrpcPayload;
  readonly metadata: Readonly<Record<string, string>>;
}

export function grpcCases(
  surface: GrpcSurface,
  method: GrpcMethod,
  hints: GrpcHints,
  apiKey: string,
): fc.Arbitrary<GrpcCase> {
  const message = surface.message(method.requestType, hints);
  const payload: fc.Arbitrary<GrpcPayload> = fc.oneof(
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('message' as const), message }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('bytes' as const),
        base64: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('base64')),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('mangled' as const),
        message,
        cut: fc.nat({ max: 200 }),
        flip: fc.nat({ max: 200 }),
      }),
    },
  );
  const metadataValue = fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    maxLength: 300,
  });
  const metadata = fc
    .record({
      auth: fc.oneof(
        { weight: 7, arbitrary: fc.constant({ authorization: `Bearer ${apiKey}` }) },
        { weight: 1, arbitrary: fc.constant({ 'x-api-key': apiKey }) },
        { weight: 1, arbitrary: fc.constant({}) },
        { weight: 1, arbitrary: metadataValue.map((v) => ({ authorization: v })) },
      ),
      idempotency: fc.option(
        fc.oneof(fc.uuid(), metadataValue).map((v) => ({ 'idempotency-key': v })),
        {
          freq: 3,
          nil: {},
        },
      ),
    })
    .map(({ auth, idempotency }) => ({ ...auth, ...idempotency }));
  return fc.record({ payload, metadata });
}

/** The request's bytes; undefined when the generated message cannot be encoded at all. */
export function encodePayload(method: GrpcMethod, payload: GrpcPayload): Buffer | undefined {
  switch (payload.kind) {
    case 'bytes':
      return Buffer.from(payload.base64, 'base64');
    case 'message':
    case 'mangled': {
      let bytes: Buffer;
      try {
        bytes = method.serialize(payload.message);
      } catch {
        return undefined;
      }
      if (payload.kind === 'message') return bytes;
      const cut = Buffer.from(bytes.subarray(0, Math.min(payload.cut, bytes.length)));
      if (cut.length > 0) {
        const at = payload.flip % cut.length;
        cut[at] = (cut[at] ?? 0) ^ 0xff;
      }
      return cut;
    }
  }
}

export interface GrpcAnswer {
  readonly code: grpc.status;
  readonly details: string;
}

/** Sends raw request bytes to a method, so malformed protobuf reaches the server as it is. */
export function grpcCall(
  client: grpc.Client,
  method: GrpcMethod,
  bytes: Buffer,
  metadata: Readonly<Record<string, string>>,
  timeoutMs = 20_000,
): Promise<GrpcAnswer> {
  const meta = new grpc.Metadata();
  for (const [key, value] of Object.entries(metadata)) meta.set(key, value);
  return new Promise((resolve) => {
    client.makeUnaryRequest<Buffer, Buffer>(
      method.path,
      (request) => request,
      (response) => response,
      bytes,
      meta,
      { deadline: Date.now() + timeoutMs },
      (error) => {
        resolve(
          error === null
            ? { code: grpc.status.OK, details: '' }
            : { code: error.code, details: error.details },
        );
      },
    );
  });
}

/** Codes that mean the server failed, not the caller. */
const serverFailures: ReadonlySet<grpc.status> = new Set([
  grpc.status.INTERNAL,
  grpc.status.UNKNOWN,
  grpc.status.DATA_LOSS,
  grpc.status.UNAVAILABLE,
  grpc.status.DEADLINE_EXCEEDED,
]);

export function grpcViolation(answer: GrpcAnswer): string | undefined {
  return serverFailures.has(answer.code)
    ? `answered ${grpc.status[answer.code]}: ${answer.details.slice(0, 300)}`
    : undefined;
}
