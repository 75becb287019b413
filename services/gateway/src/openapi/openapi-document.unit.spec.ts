import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { requestSchemas } from '../http/request-schemas.js';
import { IANA_TIME_ZONE_FORMAT } from '../http/schema-parts.js';
import { openApiDocument } from './openapi-document.js';

const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020;

const document = openApiDocument('http://127.0.0.1:8080') as {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> };
};

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string') found.push(inner);
      else refsIn(inner, found);
    }
  }
  return found;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 whose every $ref resolves', () => {
    expect(document.openapi).toBe('3.1.0');
    for (const ref of refsIn(document)) {
      const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
      expect(name && document.components.schemas[name], ref).toBeTruthy();
    }
  });

  it('has unique operation ids and declares every path parameter', () => {
    const ids: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      const shared = (item['parameters'] as Array<{ name: string; in: string }> | undefined) ?? [];
      for (const method of METHODS) {
        const operation = item[method] as
          { operationId: string; parameters?: Array<{ name: string; in: string }> } | undefined;
        if (!operation) continue;
        ids.push(operation.operationId);
        const declared = [...shared, ...(operation.parameters ?? [])]
          .filter((p) => p.in === 'path')
          .map((p) => p.name)
          .sort();
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        expect(declared, `${method} ${path}`).toEqual(inPath);
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has component schemas that are valid JSON Schema 2020-12', () => {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
    addFormats(ajv);
    // The gateway's own format; to any other reader a format is an annotation.
    ajv.addFormat(IANA_TIME_ZONE_FORMAT, true);
    ajv.addSchema({ $id: 'openapi', $defs: document.components.schemas }, 'openapi');
    const compile = (name: string) => {
      // Refs point at #/components/schemas/…; serve them from $defs for the compiler.
      const schema = JSON.parse(
        JSON.stringify(document.components.schemas[name]).replaceAll(
          '#/components/schemas/',
          'openapi#/$defs/',
        ),
      ) as object;
      return ajv.compile(schema);
    };
    for (const name of Object.keys(document.components.schemas)) {
      expect(() => compile(name), name).not.toThrow();
    }
    expect(compile('ConsentRequestPending')({ status: 'pending' })).toBe(false);
    expect(
      compile('ConsentState')({
        phone: '+15555550123',
        marketing: {
          sms: { consented: true, allowed: true },
          mms: { consented: false, allowed: false },
        },
        transactional: {
          sms: { consented: false, allowed: true },
          mms: { consented: false, allowed: true },
        },
        optedOut: { sms: false, mms: false },
        dnd: { sms: false, mms: false },
        optedOutAt: null,
        updatedAt: '2026-11-26T12:00:00.000Z',
        openReviewCount: 0,
      }),
    ).toBe(true);
  });

  it('describes the consent resources', () => {
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/consents',
        '/v1/consents/{phone}',
        '/v1/consents/{phone}/history',
        '/v1/consents/{phone}/revocations',
        '/v1/consents/{phone}/dnd/{channel}',
        '/v1/consent-reviews',
        '/v1/consent-reviews/{reviewId}/resolution',
      ]),
    );
  });

  it('describes the compliance PUT with the schema its body is validated against', () => {
    const put = document.paths['/admin/v1/tenants/{id}/compliance']?.['put'] as
      { requestBody: { content: Record<string, { schema: unknown }> } } | undefined;
    expect(put?.requestBody.content['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/TenantComplianceProfile',
    });
    expect(document.components.schemas['TenantComplianceProfile']).toBe(
      requestSchemas.TenantComplianceProfile,
    );
    expect(requestSchemas.CreateTenantRequest.properties.compliance).toBe(
      requestSchemas.TenantComplianceProfile,
    );
  });
});

describe('OpenAPI: sender numbers and idempotency scope', () => {
  it('describes releasing a sender number and the 409 of a taken one', () => {
    const release = document.paths['/admin/v1/tenants/{id}/sender-numbers/{number}']?.delete as
      { responses: Record<string, unknown> } | undefined;
    expect(Object.keys(release?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '404', '409']),
    );
    const add = document.paths['/admin/v1/tenants/{id}/sender-numbers']?.post as {
      responses: Record<string, { description: string }>;
    };
    expect(add.responses['409']?.description).toContain('sender_number_taken');
    const create = document.paths['/admin/v1/tenants']?.post as {
      responses: Record<string, { description: string }>;
      parameters: Array<{ name: string; description?: string }>;
    };
    expect(create.responses['409']?.description).toContain('sender_number_taken');
    expect(create.parameters.find((p) => p.name === 'Idempotency-Key')?.description).toContain(
      'route template',
    );
  });
});
