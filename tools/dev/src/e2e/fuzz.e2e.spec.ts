import { randomInt } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadFuzzConfig } from '../config.js';
import {
  apiKeyMetadata,
  type GrpcMessage,
  messagingClient,
  unary,
} from '../platform/grpc-client.js';
import {
  encodePayload,
  grpcCall,
  grpcCases,
  GrpcSurface,
  grpcViolation,
} from './fuzz/grpc-fuzz.js';
import { anyString, percentEncode } from './fuzz/fuzz-values.js';
import {
  authorization,
  closeHttpAgent,
  extraHeaders,
  type OperationParameter,
  pathSegment,
  type RestCase,
  type RestOperation,
  restCases,
  restOperations,
  restViolation,
  SchemaValues,
  send,
} from './fuzz/rest-fuzz.js';
import { forgedWebhooks, signedWebhooks } from './fuzz/webhook-fuzz.js';
import {
  bearer,
  call,
  carrierReceived,
  createTenant,
  eventually,
  randomPhone,
  type TestTenant,
} from './platform-client.js';

const stack = inject('stack');
const config = loadFuzzConfig();
const seed = config.seed ?? randomInt(2 ** 31 - 1);
const runs = config.runsPerTarget;
process.stdout.write(
  `fuzz: seed ${seed}, ${runs} cases per target (FUZZ_SEED=${seed} replays this run; FUZZ_RUNS sets the cases)\n`,
);

// The routes come from the served document, so a new route is fuzzed without touching this file.
const openApi = await fetch(`${stack.urls.gatewayHttp}/openapi.json`);
const document = (await openApi.json()) as Parameters<typeof restOperations>[0];
const operations = restOperations(document);
const schemaValues = new SchemaValues(document);
const grpcSurface = new GrpcSurface();

/** Per target: cases run and time taken, printed at the end for the README. */
const tally: Array<{ target: string; cases: number; ms: number }> = [];

/** Runs one property; fast-check's failure names the seed and the generated case. */
async function fuzz<T>(
  target: string,
  cases: fc.Arbitrary<T>,
  check: (c: T) => Promise<void>,
): Promise<void> {
  let count = 0;
  const started = performance.now();
  try {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        count += 1;
        await check(c);
      }),
      { seed, numRuns: runs, endOnFailure: true },
    );
  } finally {
    tally.push({ target, cases: count, ms: Math.round(performance.now() - started) });
  }
}

function describeCase(c: RestCase): string {
  const headers = Object.entries(c.headers)
    .map(([k, v]) => `${k}: ${v.length > 80 ? `${v.slice(0, 80)}… (${v.length})` : v}`)
    .join('; ');
  const path = c.path.length > 300 ? `${c.path.slice(0, 300)}… (${c.path.length})` : c.path;
  const body = c.body === undefined ? 'no body' : JSON.stringify(c.body)?.slice(0, 300);
  return `${c.method} ${path} [${headers}] ${body}`;
}

async function expectRestContract(c: RestCase): Promise<void> {
  const answer = await send(stack.urls.gatewayHttp, c).catch((error: unknown) => ({
    status: 0,
    contentType: '',
    body: error instanceof Error ? error.message : String(error),
  }));
  const violation =
    answer.status === 0 ? `got no answer (${answer.body})` : restViolation(c, answer);
  if (violation !== undefined) {
    throw new Error(`${describeCase(c)}\n  ${violation}\n  ${answer.body.slice(0, 400)}`);
  }
}

describe('fuzzing every route of the running platform', () => {
  let tenant: TestTenant;
  /** Admin routes change this tenant, so the sending tenant's profile stays as it was. */
  let adminTarget: TestTenant;
  let phone: string;
  let messageId: string;
  let grpcClient: grpc.Client;

  beforeAll(async () => {
    tenant = await createTenant(stack, 'Fuzz Co');
    adminTarget = await createTenant(stack, 'Fuzzed Admin Co');
    phone = randomPhone();
    const sent = await call<{ id: string }>(`${stack.urls.gatewayHttp}/v1/messages`, {
      headers: bearer(tenant),
      body: { to: phone, body: 'before the fuzz' },
    });
    expect(sent.status).toBe(202);
    messageId = sent.body.id;
    grpcClient = new grpc.Client(stack.urls.gatewayGrpc, grpc.credentials.createInsecure());
  });

  afterAll(() => {
    grpcClient.close();
    closeHttpAgent();
    const total = tally.reduce((sum, t) => sum + t.cases, 0);
    const ms = tally.reduce((sum, t) => sum + t.ms, 0);
    process.stdout.write(
      `fuzz (seed ${seed}): ${total} cases over ${tally.length} targets in ${(ms / 1000).toFixed(1)} s\n${tally
        .map((t) => `  ${t.target}: ${t.cases} cases, ${t.ms} ms`)
        .join('\n')}\n`,
    );
  });

  it('takes its REST routes from the OpenAPI document', () => {
    const names = operations.map((o) => o.name);
    expect(names).toContain('POST /v1/messages');
    expect(names).toContain('GET /v1/conversations/{phone}/messages');
    expect(names).toContain('POST /admin/v1/tenants');
    expect(names).toContain('POST /webhooks/telnyx');
    expect(grpcSurface.methods.map((m) => m.name)).toContain(
      'textplane.consent.v1.ConsentService/GrantConsent',
    );
  });

  function goodPathValue(
    operation: RestOperation,
  ): (p: OperationParameter) => fc.Arbitrary<string> {
    return (parameter) => {
      const generated = schemaValues
        .valid(parameter.schema)
        .map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
      const known =
        parameter.name === 'phone'
          ? phone
          : parameter.name === 'id'
            ? operation.template.startsWith('/admin/')
              ? adminTarget.tenantId
              : messageId
            : undefined;
      return known === undefined ? generated : fc.oneof(fc.constant(known), generated);
    };
  }

  for (const operation of operations) {
    it(`REST ${operation.name}`, async () => {
      const credentials = {
        tenantApiKey: tenant.apiKey,
        adminToken: stack.adminToken,
      };
      await fuzz(
        `REST ${operation.name}`,
        restCases(operation, schemaValues, goodPathValue(operation), credentials),
        expectRestContract,
      );
    });
  }

  it('REST routes that do not exist', async () => {
    const cases = fc
      .record({
        prefix: fc.constantFrom(
          '/',
          '/v1/',
          '/admin/v1/',
          '/webhooks/',
          '/v2/',
          '/v1/messages/',
          '/admin/v1/tenants/',
        ),
        segments: fc.array(pathSegment(anyString), { minLength: 1, maxLength: 3 }),
        method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
        auth: authorization('tenant', {
          tenantApiKey: tenant.apiKey,
          adminToken: stack.adminToken,
        }),
      })
      .map(({ prefix, segments, method, auth }): RestCase => ({
        method,
        path: `${prefix}${segments.join('/')}`,
        headers: auth,
        body: undefined,
      }));
    await fuzz('REST unknown routes', cases, expectRestContract);
  });

  it('GET /openapi.json with odd headers and queries', async () => {
    const cases = fc
      .record({
        query: fc.option(anyString, { freq: 2 }),
        headers: extraHeaders,
        method: fc.constantFrom('GET', 'GET', 'GET', 'POST', 'HEAD'),
      })
      .map(({ query, headers, method }): RestCase => ({
        method,
        path: query === null ? '/openapi.json' : `/openapi.json?${percentEncode(query)}`,
        headers,
        body: undefined,
      }));
    await fuzz('REST /openapi.json', cases, expectRestContract);
  });

  it('signed carrier webhooks with odd events', async () => {
    const cases = signedWebhooks(
      {
        privateKeyPkcs8Base64: stack.webhookPrivateKey,
        now: () => Math.floor(Date.now() / 1000),
      },
      [tenant.sender, adminTarget.sender],
    );
    await fuzz('webhook signed', cases, expectRestContract);
  });

  it('forged and unsigned carrier webhooks', async () => {
    await fuzz('webhook forged', forgedWebhooks([tenant.sender]), expectRestContract);
  });

  for (const method of grpcSurface.methods) {
    it(`gRPC ${method.name}`, async () => {
      const cases = grpcCases(grpcSurface, method, { phone, messageId }, tenant.apiKey);
      await fuzz(`gRPC ${method.name}`, cases, async (c) => {
        const bytes = encodePayload(method, c.payload);
        // A generated value protobuf cannot encode never reaches the server: nothing to judge.
        fc.pre(bytes !== undefined);
        if (bytes === undefined) return;
        const answer = await grpcCall(grpcClient, method, bytes, c.metadata);
        const violation = grpcViolation(answer);
        if (violation !== undefined) {
          throw new Error(`${method.name} ${JSON.stringify(c).slice(0, 600)}\n  ${violation}`);
        }
      });
    });
  }

  it('still accepts and delivers a valid message afterwards, over REST and gRPC', async () => {
    // The fuzz may have turned tenant settings on (the periodic opt-out line, number validation,
    // blocking use-case mismatches): every one back to its default (null), so the texts below
    // arrive as written. Messaging applies settings a moment later, so the recipients are mobile
    // numbers (the simulator's rule: not ending in 0, 1 or 2), which number validation passes.
    const settings = await call<Record<string, unknown>>(`${stack.urls.gatewayHttp}/v1/settings`, {
      headers: bearer(tenant),
    });
    expect(settings.status).toBe(200);
    const defaults = Object.fromEntries(Object.keys(settings.body).map((key) => [key, null]));
    const reset = await call(`${stack.urls.gatewayHttp}/v1/settings`, {
      method: 'PATCH',
      headers: bearer(tenant),
      body: defaults,
    });
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    const mobile = () => `${randomPhone().slice(0, -1)}7`;
    const to = mobile();
    const sent = await call<{ id: string }>(`${stack.urls.gatewayHttp}/v1/messages`, {
      headers: bearer(tenant),
      body: { to, body: 'after the fuzz' },
    });
    expect(sent.status).toBe(202);
    await eventually(
      async () => {
        const read = await call<{ status: string }>(
          `${stack.urls.gatewayHttp}/v1/messages/${sent.body.id}`,
          { headers: bearer(tenant) },
        );
        return read.body.status === 'delivered' ? read.body : undefined;
      },
      { what: 'the REST message delivered' },
    );

    const client = messagingClient(stack.urls.gatewayGrpc);
    try {
      const grpcTo = mobile();
      const response = await unary(
        client.SendMessage,
        client,
        { to: grpcTo, body: 'after the fuzz, over gRPC' },
        apiKeyMetadata(tenant.apiKey),
      );
      await eventually(
        async () => {
          const read = await unary<{ id: string }, { message: GrpcMessage }>(
            client.GetMessage,
            client,
            { id: response.message.id },
            apiKeyMetadata(tenant.apiKey),
          );
          return read.message.status === 'MESSAGE_STATUS_DELIVERED' ? read : undefined;
        },
        { what: 'the gRPC message delivered' },
      );
      // Exactly once each; the first text to a contact may carry the brand's name before it.
      const received = [
        ...(await carrierReceived(stack, to)),
        ...(await carrierReceived(stack, grpcTo)),
      ].map((m) => m.text);
      expect(received).toHaveLength(2);
      expect(received[0]).toMatch(/after the fuzz$/);
      expect(received[1]).toMatch(/after the fuzz, over gRPC$/);
    } finally {
      client.close();
    }
  });
});
