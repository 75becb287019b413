import { request as httpRequest, Agent } from 'node:http';
import fc from 'fast-check';
import {
  anyCursor,
  anyHeaderName,
  anyHeaderValue,
  anyJson,
  anyString,
  percentEncode,
} from './fuzz-values.js';

type Schema = Readonly<Record<string, unknown>>;

interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly security?: readonly Readonly<Record<string, unknown>>[];
  readonly components?: { readonly schemas?: Readonly<Record<string, Schema>> };
}

export interface OperationParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly schema: Schema;
}

/** Who may call an operation, from its OpenAPI security requirement. */
export type Caller = 'tenant' | 'admin' | 'anyone';

export interface RestOperation {
  /** e.g. `POST /v1/messages`. */
  readonly name: string;
  readonly method: string;
  readonly template: string;
  readonly parameters: readonly OperationParameter[];
  readonly bodySchema: Schema | undefined;
  readonly caller: Caller;
}

const httpMethods = ['get', 'put', 'post', 'delete', 'patch'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parametersOf(value: unknown): OperationParameter[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((p: unknown): OperationParameter[] => {
    if (!isRecord(p) || typeof p['name'] !== 'string') return [];
    const where = p['in'];
    if (where !== 'path' && where !== 'query' && where !== 'header') return [];
    return [{ name: p['name'], in: where, schema: isRecord(p['schema']) ? p['schema'] : {} }];
  });
}

function callerOf(security: unknown): Caller {
  if (!Array.isArray(security) || security.length === 0) return 'anyone';
  return security.some((requirement) => isRecord(requirement) && 'adminToken' in requirement)
    ? 'admin'
    : 'tenant';
}

/** Every operation the served OpenAPI document describes: new routes are fuzzed as they come. */
export function restOperations(document: OpenApiDocument): RestOperation[] {
  const operations: RestOperation[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    const shared = parametersOf(item['parameters']);
    for (const method of httpMethods) {
      const operation = item[method];
      if (!isRecord(operation)) continue;
      const own = parametersOf(operation['parameters']);
      const requestBody = operation['requestBody'];
      const content = isRecord(requestBody) ? requestBody['content'] : undefined;
      const json = isRecord(content) ? content['application/json'] : undefined;
      const schema = isRecord(json) && isRecord(json['schema']) ? json['schema'] : undefined;
      operations.push({
        name: `${method.toUpperCase()} ${template}`,
        method: method.toUpperCase(),
        template,
        parameters: [...shared.filter((p) => !own.some((o) => o.name === p.name)), ...own],
        bodySchema: schema,
        caller: callerOf(operation['security'] ?? document.security),
      });
    }
  }
  return operations;
}

/** Turns the document's JSON Schemas into generators of valid-looking values. */
export class SchemaValues {
  readonly #schemas: Readonly<Record<string, Schema>>;

  constructor(document: OpenApiDocument) {
    this.#schemas = document.components?.schemas ?? {};
  }

  resolve(schema: Schema): Schema {
    const ref = schema['$ref'];
    if (typeof ref !== 'string') return schema;
    const target = this.#schemas[ref.replace('#/components/schemas/', '')];
    return target === undefined ? {} : this.resolve(target);
  }

  /** A value the schema accepts, or nearly: limits are kept small so cases stay cheap. */
  valid(input: Schema, depth = 0): fc.Arbitrary<unknown> {
    const schema = this.resolve(input);
    if ('const' in schema) return fc.constant(schema['const']);
    const allowed: unknown = schema['enum'];
    if (Array.isArray(allowed)) return fc.constantFrom<unknown>(...(allowed as unknown[]));
    for (const key of ['oneOf', 'anyOf']) {
      const options = schema[key];
      if (Array.isArray(options) && options.length > 0) {
        return fc.oneof(...options.filter(isRecord).map((s) => this.valid(s, depth + 1)));
      }
    }
    const declared: unknown = schema['type'];
    const types: unknown[] = Array.isArray(declared) ? (declared as unknown[]) : [declared];
    const type = types.find((t) => t !== 'null');
    const value = this.#validOfType(type, schema, depth);
    return types.includes('null') ? fc.oneof(value, fc.constant(null)) : value;
  }

  #validOfType(type: unknown, schema: Schema, depth: number): fc.Arbitrary<unknown> {
    const number = (key: string, fallback: number): number =>
      typeof schema[key] === 'number' ? schema[key] : fallback;
    switch (type) {
      case 'string': {
        const format = schema['format'];
        if (format === 'uuid') return fc.uuid();
        if (format === 'date-time') {
          return fc
            .date({ noInvalidDate: true, min: new Date('2001-01-01'), max: new Date('2099-12-31') })
            .map((d) => d.toISOString());
        }
        if (format === 'uri' || format === 'url') return fc.webUrl({ validSchemes: ['https'] });
        const minLength = number('minLength', 0);
        const maxLength = Math.max(minLength, Math.min(number('maxLength', 40), 60));
        if (typeof schema['pattern'] === 'string') {
          // Repeating a short match keeps patterns such as ^[A-Za-z0-9_-]+$ matched; filtering
          // for the length instead could reject nearly every candidate.
          const longest = number('maxLength', 10_000);
          return fc
            .stringMatching(new RegExp(schema['pattern']))
            .map((s) => (s.length >= minLength ? s : s.padEnd(minLength, s === '' ? 'a' : s)))
            .map((s) => s.slice(0, longest));
        }
        return fc.string({ minLength, maxLength });
      }
      case 'integer':
        return fc.integer({ min: number('minimum', -1_000), max: number('maximum', 1_000) });
      case 'number':
        return fc.double({ noNaN: true, noDefaultInfinity: true });
      case 'boolean':
        return fc.boolean();
      case 'array': {
        const items = isRecord(schema['items']) ? schema['items'] : {};
        const minLength = number('minItems', 0);
        return fc.array(this.valid(items, depth + 1), {
          minLength,
          maxLength: Math.max(minLength, Math.min(number('maxItems', 3), 3)),
        });
      }
      case 'object': {
        const properties = isRecord(schema['properties']) ? schema['properties'] : {};
        const required = Array.isArray(schema['required'])
          ? schema['required'].filter((k): k is string => typeof k === 'string')
          : [];
        if (depth > 4) return fc.constant({});
        const model: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [key, property] of Object.entries(properties)) {
          if (isRecord(property)) model[key] = this.valid(property, depth + 1);
        }
        return fc.record(model, { requiredKeys: required.filter((k) => k in model) });
      }
      default:
        return anyJson;
    }
  }

  /** A value near a valid one: fields replaced by odd values, dropped, or unknown ones added. */
  mutated(input: Schema, depth = 0): fc.Arbitrary<unknown> {
    const schema = this.resolve(input);
    const properties = isRecord(schema['properties']) ? schema['properties'] : undefined;
    if (properties === undefined || depth > 3) {
      return fc.oneof(
        { weight: 2, arbitrary: this.valid(schema, depth) },
        { weight: 3, arbitrary: anyJson },
      );
    }
    const keys = [...Object.keys(properties), 'unknownField', '__proto__', 'constructor'];
    const edit = fc.oneof(
      fc.record({
        kind: fc.constant('set' as const),
        key: fc.constantFrom(...keys),
        value: fc.oneof(
          anyJson,
          fc
            .constantFrom(...Object.values(properties).filter(isRecord))
            .chain((property) => this.mutated(property, depth + 1)),
        ),
      }),
      fc.record({ kind: fc.constant('drop' as const), key: fc.constantFrom(...keys) }),
    );
    return fc
      .tuple(this.valid(schema, depth), fc.array(edit, { minLength: 1, maxLength: 3 }))
      .map(([base, edits]) => {
        const value: Record<string, unknown> = isRecord(base) ? { ...base } : {};
        for (const change of edits) {
          if (change.kind === 'set') {
            Object.defineProperty(value, change.key, {
              value: change.value,
              enumerable: true,
              configurable: true,
              writable: true,
            });
          } else {
            Reflect.deleteProperty(value, change.key);
          }
        }
        return value;
      });
  }
}

/** A request body as generated, printable in a failure report and encoded the same every time. */
export type FuzzBody =
  | {
      readonly kind: 'json';
      readonly value: unknown;
      readonly charset: 'utf8' | 'latin1' | 'utf16le';
    }
  /** JSON whose first string carries bytes that are not UTF-8. */
  | { readonly kind: 'invalid-utf8'; readonly value: unknown }
  | { readonly kind: 'truncated-json'; readonly value: unknown; readonly keep: number }
  | { readonly kind: 'nested'; readonly depth: number }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'form'; readonly value: unknown }
  | { readonly kind: 'bytes'; readonly base64: string }
  | { readonly kind: 'large'; readonly bytes: number };

export function encodeBody(body: FuzzBody): Buffer {
  switch (body.kind) {
    case 'json':
      return Buffer.from(JSON.stringify(body.value) ?? 'null', body.charset);
    case 'invalid-utf8': {
      const text = JSON.stringify(body.value) ?? 'null';
      const quote = text.indexOf('"');
      const at = quote < 0 ? text.length : quote + 1;
      return Buffer.concat([
        Buffer.from(quote < 0 ? `"${text}` : text.slice(0, at)),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
        Buffer.from(quote < 0 ? '"' : text.slice(at)),
      ]);
    }
    case 'truncated-json': {
      const text = JSON.stringify(body.value) ?? 'null';
      return Buffer.from(text.slice(0, Math.min(body.keep, Math.max(text.length - 1, 0))));
    }
    case 'nested':
      return Buffer.from(`${'['.repeat(body.depth)}${']'.repeat(body.depth)}`);
    case 'text':
      return Buffer.from(body.text);
    case 'form':
      return Buffer.from(
        isRecord(body.value)
          ? new URLSearchParams(
              Object.entries(body.value).map(([k, v]): [string, string] => [
                k,
                String(JSON.stringify(v)),
              ]),
            ).toString()
          : String(JSON.stringify(body.value)),
      );
    case 'bytes':
      return Buffer.from(body.base64, 'base64');
    case 'large':
      // Only the start is ever written (see send): the rest is claimed by Content-Length alone.
      return Buffer.from(`{"body":"${'a'.repeat(LARGE_BODY_WRITTEN_BYTES)}`);
  }
}

/**
 * The size a large body claims: over every route's limit (64 KiB for JSON, 16 MiB for the bulk
 * preview, 50 MiB for imports), so the answer must be a 413 on Content-Length alone. A size under
 * a route's limit is a body the server rightly waits for. Limits at their edge are tested in
 * bad-input.e2e.spec.ts and request-bodies.unit.spec.ts.
 */
const LARGE_BODY_BYTES = 60_000_000;
/** How much of a large body is written before the server's answer (413) is awaited. */
const LARGE_BODY_WRITTEN_BYTES = 65_536;

export function bodies(values: SchemaValues, schema: Schema | undefined): fc.Arbitrary<FuzzBody> {
  const near = schema === undefined ? anyJson : values.mutated(schema);
  const good = schema === undefined ? anyJson : values.valid(schema);
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('json' as const),
        value: good,
        charset: fc.constant('utf8' as const),
      }),
    },
    {
      weight: 8,
      arbitrary: fc.record({
        kind: fc.constant('json' as const),
        value: near,
        charset: fc.constant('utf8' as const),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('json' as const),
        value: near,
        charset: fc.constantFrom('latin1' as const, 'utf16le' as const),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('invalid-utf8' as const), value: good }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('truncated-json' as const),
        value: good,
        keep: fc.nat({ max: 200 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('nested' as const),
        depth: fc.constantFrom(64, 1_000, 100_000),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('text' as const), text: anyString }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('form' as const), value: good }) },
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
        kind: fc.constant('large' as const),
        bytes: fc.constant(LARGE_BODY_BYTES),
      }),
    },
  );
}

export interface Credentials {
  readonly tenantApiKey: string;
  readonly adminToken: string;
}

/** Mostly the right credentials, so requests get past authentication to the parsing beyond. */
export function authorization(
  caller: Caller,
  credentials: Credentials,
): fc.Arbitrary<Record<string, string>> {
  const own =
    caller === 'admin'
      ? credentials.adminToken
      : caller === 'tenant'
        ? credentials.tenantApiKey
        : undefined;
  const other = caller === 'admin' ? credentials.tenantApiKey : credentials.adminToken;
  const wrong = fc.oneof(
    fc.constant({}),
    fc.constant({ authorization: `Bearer ${other}` }),
    anyHeaderValue.map((value) => ({ authorization: value })),
    anyHeaderValue.map((value) => ({ authorization: `Bearer ${value}` })),
    anyHeaderValue.map((value) => ({ 'x-api-key': value })),
    fc.constant({ authorization: 'Basic dXNlcjpwYXNz' }),
  );
  if (own === undefined)
    return fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: wrong });
  return fc.oneof(
    { weight: 7, arbitrary: fc.constant({ authorization: `Bearer ${own}` }) },
    { weight: 1, arbitrary: fc.constant({ 'x-api-key': own }) },
    { weight: 2, arbitrary: wrong },
  );
}

const contentTypes = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=UTF-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json;charset=',
  'application/problem+json',
  'application/vnd.api+json',
  'text/plain',
  'text/csv',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  '*/*',
  'json',
  '',
];

export const extraHeaders: fc.Arbitrary<Record<string, string>> = fc
  .record(
    {
      'content-encoding': fc.constantFrom(
        'identity',
        'gzip',
        'deflate',
        'br',
        'x-unknown',
        'gzip, gzip',
        '',
      ),
      accept: fc.oneof(
        fc.constantFrom('text/csv', 'application/xml', '*/*', 'application/json;q=0', 'text/html'),
        anyHeaderValue,
      ),
      'idempotency-key': fc.oneof(
        fc.uuid(),
        anyHeaderValue,
        fc.string({ minLength: 250, maxLength: 300 }),
      ),
      'accept-charset': anyHeaderValue,
      'x-forwarded-for': anyHeaderValue,
      'x-request-id': anyHeaderValue,
    },
    { requiredKeys: [] },
  )
  .chain((headers) =>
    fc
      .option(fc.tuple(anyHeaderName, fc.oneof(anyHeaderValue, fc.constant('h'.repeat(70_000)))), {
        freq: 4,
      })
      .map((extra) => (extra === null ? headers : { ...headers, [extra[0]]: extra[1] })),
  );

export interface RestCase {
  readonly method: string;
  /** Path and query, percent-encoded as sent. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: FuzzBody | undefined;
}

/** A path segment: a known-good value mostly, otherwise anything, encoded or deliberately not. */
export function pathSegment(good: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: good.map(percentEncode) },
    { weight: 3, arbitrary: anyString.map(percentEncode) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '%ff',
        '%',
        '%zz',
        '%00',
        '%2e%2e',
        '..',
        '.',
        '%2F',
        '%u0041',
        '%C0%AF',
        '%ED%A0%80',
        'a'.repeat(10_000),
        '',
      ),
    },
  );
}

function queryValue(parameter: OperationParameter, values: SchemaValues): fc.Arbitrary<string> {
  const good =
    parameter.name === 'cursor'
      ? anyCursor
      : values.valid(parameter.schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return fc.oneof(
    { weight: 3, arbitrary: good.map(percentEncode) },
    { weight: 2, arbitrary: fc.oneof(anyString, anyCursor).map(percentEncode) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '%ff',
        '%',
        '-1',
        '0',
        '101',
        '1e3',
        '0x10',
        '1.5',
        '%205',
        '',
        'a'.repeat(5_000),
      ),
    },
  );
}

export function restCases(
  operation: RestOperation,
  values: SchemaValues,
  goodPathValues: (parameter: OperationParameter) => fc.Arbitrary<string>,
  credentials: Credentials,
): fc.Arbitrary<RestCase> {
  const pathParameters = operation.parameters.filter((p) => p.in === 'path');
  const queryParameters = operation.parameters.filter((p) => p.in === 'query');
  const segments = fc.tuple(...pathParameters.map((p) => pathSegment(goodPathValues(p))));
  const query = fc.tuple(
    ...queryParameters.map((p) =>
      fc.option(queryValue(p, values), { freq: 2 }).map((v) => [p.name, v] as const),
    ),
  );
  const strayQuery = fc.option(
    fc.oneof(
      fc.constant('limit=1&limit=2'),
      fc.constant('cursor[]=a'),
      fc.tuple(anyString, anyString).map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`),
      fc.constant('%ff=%ff'),
    ),
    { freq: 5 },
  );
  const method = fc.oneof(
    { weight: 12, arbitrary: fc.constant(operation.method) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
    },
  );
  const wantsBody = operation.bodySchema !== undefined || operation.method === 'POST';
  const body = fc.option(bodies(values, operation.bodySchema), {
    freq: wantsBody ? 10 : 2,
    nil: undefined,
  });
  const contentType = fc.oneof(
    { weight: 10, arbitrary: fc.constant('application/json') },
    { weight: 3, arbitrary: fc.constantFrom(...contentTypes) },
    { weight: 1, arbitrary: anyHeaderValue },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  return fc
    .record({
      method,
      segments,
      query,
      strayQuery,
      auth: authorization(operation.caller, credentials),
      extra: fc.option(extraHeaders, { freq: 2, nil: {} }),
      contentType,
      body,
    })
    .map(
      ({
        method: m,
        segments: s,
        query: q,
        strayQuery: stray,
        auth,
        extra,
        contentType: type,
        body: b,
      }) => {
        let index = 0;
        const path = operation.template.replace(/\{[^}]+\}/g, () => s[index++] ?? '');
        const parts = q.flatMap(([name, value]) => (value === null ? [] : [`${name}=${value}`]));
        if (stray !== null) parts.push(stray);
        // A server refusing oversized headers closes without reading the body, so a client still
        // writing megabytes gets a TCP reset instead of the answer: that is TCP, not the platform.
        const oversizedHeaders = Object.values(extra).some((v) => v.length > 16_384);
        const sendsBody =
          b !== undefined &&
          m !== 'GET' &&
          m !== 'HEAD' &&
          !(oversizedHeaders && b.kind === 'large');
        // The one documented gap of the gateway's client-error answer: a HEAD whose oversized
        // headers are refused past the packet holding its request line gets the problem body
        // (README, "The REST edge"), which Node's client reads as a framing error. So oversized
        // headers go with any method but HEAD; a HEAD is still fuzzed with every other header.
        const method = oversizedHeaders && m === 'HEAD' ? 'GET' : m;
        return {
          method,
          path: parts.length === 0 ? path : `${path}?${parts.join('&')}`,
          headers: {
            ...auth,
            ...extra,
            ...(sendsBody && type !== undefined ? { 'content-type': type } : {}),
          },
          body: sendsBody ? b : undefined,
        };
      },
    );
}

export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/** Sends exactly the case: raw path, headers and bytes, which fetch would normalise. */
export function send(baseUrl: string, request: RestCase, timeoutMs = 20_000): Promise<HttpAnswer> {
  const url = new URL(baseUrl);
  const payload = request.body === undefined ? undefined : encodeBody(request.body);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path,
        headers: {
          ...request.headers,
          ...(payload === undefined
            ? {}
            : {
                'content-length': String(
                  request.body?.kind === 'large' ? request.body.bytes : payload.length,
                ),
              }),
        },
        agent,
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: response.headers['content-type'] ?? '',
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    if (request.body?.kind === 'large' && payload !== undefined) {
      // Over the limit by its Content-Length alone: the server answers 413 and closes before
      // reading it, so writing it all would race that close (EPIPE) instead of reading the answer.
      outgoing.write(payload);
      outgoing.once('response', (response) => response.once('end', () => outgoing.destroy()));
    } else {
      outgoing.end(payload);
    }
  });
}

export function closeHttpAgent(): void {
  agent.destroy();
}

/** What the platform promised about any answer: no 5xx, and every 4xx a problem with a detail. */
export function restViolation(request: RestCase, answer: HttpAnswer): string | undefined {
  if (answer.status >= 500) return `answered ${answer.status}`;
  if (answer.status < 400) return undefined;
  if (!answer.contentType.startsWith('application/problem+json')) {
    return `answered ${answer.status} as ${answer.contentType || 'no content type'}, not application/problem+json`;
  }
  if (request.method === 'HEAD') return undefined;
  let problem: unknown;
  try {
    problem = JSON.parse(answer.body);
  } catch {
    return `answered ${answer.status} with a problem that is not JSON`;
  }
  if (
    !isRecord(problem) ||
    typeof problem['detail'] !== 'string' ||
    problem['detail'].trim() === ''
  ) {
    return `answered ${answer.status} with a problem without a detail`;
  }
  return undefined;
}
