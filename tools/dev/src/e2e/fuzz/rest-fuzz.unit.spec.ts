import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentEncode } from './fuzz-values.js';
import { restCases, restOperations, restViolation, SchemaValues } from './rest-fuzz.js';

const document = {
  security: [{ apiKey: [] }],
  paths: {
    '/v1/things/{id}': {
      parameters: [{ name: 'id', in: 'path', schema: { type: 'string', format: 'uuid' } }],
      get: { parameters: [{ name: 'cursor', in: 'query', schema: { type: 'string' } }] },
      post: {
        requestBody: {
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
        },
      },
    },
    '/admin/v1/things': { post: { security: [{ adminToken: [] }] } },
    '/hooks': { post: { security: [] } },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['key'],
        properties: { key: { type: 'string', pattern: '^[a-z]+$', minLength: 32, maxLength: 40 } },
      },
    },
  },
};

describe('restOperations', () => {
  it('lists every method of every path with its caller, parameters and body schema', () => {
    const operations = restOperations(document);
    expect(operations.map((o) => [o.name, o.caller])).toEqual([
      ['GET /v1/things/{id}', 'tenant'],
      ['POST /v1/things/{id}', 'tenant'],
      ['POST /admin/v1/things', 'admin'],
      ['POST /hooks', 'anyone'],
    ]);
    expect(operations[0]?.parameters.map((p) => `${p.in}:${p.name}`)).toEqual([
      'path:id',
      'query:cursor',
    ]);
    expect(operations[1]?.bodySchema).toEqual({ $ref: '#/components/schemas/Thing' });
  });
});

describe('SchemaValues', () => {
  it('meets a pattern with a minimum length without rejecting candidates', () => {
    const values = new SchemaValues(document);
    const keys = fc.sample(values.valid({ $ref: '#/components/schemas/Thing' }), {
      numRuns: 50,
      seed: 7,
    });
    for (const thing of keys) {
      expect(thing).toMatchObject({ key: expect.stringMatching(/^[a-z]{32,40}$/) as unknown });
    }
  });

  it('builds cases whose paths fill every template parameter', () => {
    const [operation] = restOperations(document);
    if (operation === undefined) throw new Error('no operation');
    const cases = fc.sample(
      restCases(operation, new SchemaValues(document), () => fc.constant('abc'), {
        tenantApiKey: 't'.repeat(32),
        adminToken: 'a'.repeat(16),
      }),
      { numRuns: 200, seed: 3 },
    );
    expect(cases.every((c) => c.path.startsWith('/v1/things/') && !c.path.includes('{'))).toBe(
      true,
    );
  });
});

describe('percentEncode', () => {
  it('encodes lone surrogates as UTF-8 would carry them instead of throwing', () => {
    expect(percentEncode('a b/\ud800')).toBe('a%20b%2F%EF%BF%BD');
  });
});

describe('restViolation', () => {
  const get = { method: 'GET', path: '/v1/x', headers: {}, body: undefined };
  const problem = 'application/problem+json; charset=utf-8';

  it.each([
    [{ status: 500, contentType: problem, body: '{"detail":"x"}' }, 'answered 500'],
    [{ status: 503, contentType: problem, body: '{"detail":"x"}' }, 'answered 503'],
    [
      { status: 400, contentType: 'application/json', body: '{"message":"x"}' },
      'answered 400 as application/json, not application/problem+json',
    ],
    [
      { status: 404, contentType: problem, body: 'oops' },
      'answered 404 with a problem that is not JSON',
    ],
    [
      { status: 415, contentType: problem, body: '{"detail":"  "}' },
      'answered 415 with a problem without a detail',
    ],
  ])('refuses %o', (answer, message) => {
    expect(restViolation(get, answer)).toBe(message);
  });

  it.each([
    { status: 200, contentType: 'application/json', body: '{}' },
    { status: 202, contentType: 'application/json', body: '{}' },
    { status: 400, contentType: problem, body: '{"detail":"to is not E.164"}' },
  ])('accepts %o', (answer) => {
    expect(restViolation(get, answer)).toBeUndefined();
  });
});
