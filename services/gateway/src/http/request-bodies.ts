import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../problems/api-error.js';

/**
 * What a route accepts as its request body. Every route reads JSON unless it declares otherwise
 * with `@AcceptsBody(...)`; nothing else is parsed, so only documented content gets in.
 */
export type RequestBodyPolicy =
  /**
   * `application/json`, UTF-8 (the charset parameter absent or `utf-8`), no Content-Encoding; up
   * to `limitBytes` when the route sets its own size limit (a bulk send's 100,000 contact ids).
   */
  | { kind: 'json'; limitBytes?: number }
  /**
   * The exact bytes, whatever the content type (a Buffer as the body): for signed webhooks, whose
   * signature is checked over the raw body before anything in it is read.
   */
  | { kind: 'signed_bytes' }
  /**
   * Files and CSV (imports, media uploads): only the listed media types (compared without
   * parameters), no Content-Encoding, up to the route's own size limit; the body is a Buffer.
   */
  | { kind: 'media'; mediaTypes: readonly string[]; limitBytes: number };

const ROUTE_CONFIG_KEY = 'requestBody';
const JSON_BODY: RequestBodyPolicy = { kind: 'json' };
const JSON_MEDIA_TYPE = 'application/json';

/** Declares a route's request body (Fastify route config, read by the parser installed below). */
export function AcceptsBody(policy: RequestBodyPolicy): MethodDecorator {
  return RouteConfig({ [ROUTE_CONFIG_KEY]: policy });
}

/**
 * Replaces Fastify's (and Nest's) body parsers — which took form-encoded and text/plain bodies,
 * ignored the charset and Content-Encoding, and replaced invalid UTF-8 with U+FFFD — by one
 * parser that applies each route's declared policy. Call before any route is registered.
 */
export function acceptOnlyDeclaredBodies(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.addHook('onRoute', (route) => {
    const policy = declaredPolicy(route.config);
    if (policy?.kind === 'media') route.bodyLimit = policy.limitBytes;
    if (policy?.kind === 'json' && policy.limitBytes !== undefined) {
      route.bodyLimit = policy.limitBytes;
    }
  });
  // A catch-all parser: without it Fastify would answer an unknown type itself, before the route's
  // policy (a signed webhook takes any type) could be consulted.
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    const policy = declaredPolicy(request.routeOptions.config) ?? JSON_BODY;
    try {
      switch (policy.kind) {
        case 'signed_bytes':
          done(null, bytes);
          return;
        case 'media':
          refuseEncoded(request);
          refuseTypeOtherThan(request, policy.mediaTypes);
          done(null, bytes);
          return;
        case 'json':
          refuseEncoded(request);
          refuseTypeOtherThan(request, [JSON_MEDIA_TYPE]);
          refuseCharsetOtherThanUtf8(request);
          void parseJson(request, utf8Text(bytes), done);
          return;
      }
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)), undefined);
    }
  });
}

function declaredPolicy(config: unknown): RequestBodyPolicy | undefined {
  if (typeof config !== 'object' || config === null || !(ROUTE_CONFIG_KEY in config)) {
    return undefined;
  }
  const policy: unknown = (config as Record<typeof ROUTE_CONFIG_KEY, unknown>)[ROUTE_CONFIG_KEY];
  return isPolicy(policy) ? policy : undefined;
}

function isPolicy(value: unknown): value is RequestBodyPolicy {
  if (typeof value !== 'object' || value === null || !('kind' in value)) return false;
  return value.kind === 'json' || value.kind === 'signed_bytes' || value.kind === 'media';
}

interface MediaType {
  essence: string;
  parameters: ReadonlyMap<string, string>;
}

/** `type/subtype; name=value; name="quoted"`, names and the essence lower-cased (RFC 9110 8.3). */
function mediaTypeOf(header: string | undefined): MediaType | null {
  if (header === undefined || header.trim() === '') return null;
  const [essence = '', ...rest] = header.split(';');
  const parameters = new Map<string, string>();
  for (const parameter of rest) {
    const separator = parameter.indexOf('=');
    if (separator < 0) continue;
    const name = parameter.slice(0, separator).trim().toLowerCase();
    const raw = parameter.slice(separator + 1).trim();
    parameters.set(name, raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw);
  }
  return { essence: essence.trim().toLowerCase(), parameters };
}

function refuseTypeOtherThan(request: FastifyRequest, accepted: readonly string[]): void {
  const type = mediaTypeOf(request.headers['content-type']);
  if (type && accepted.includes(type.essence)) return;
  throw new ApiError(
    'unsupported_media_type',
    'unsupported_media_type',
    `This route accepts ${describe(accepted)}; the request ${
      type ? `is ${type.essence}` : 'has no Content-Type'
    }`,
    [{ field: 'Content-Type', message: `must be ${describe(accepted)}` }],
  );
}

function refuseCharsetOtherThanUtf8(request: FastifyRequest): void {
  const charset = mediaTypeOf(request.headers['content-type'])?.parameters.get('charset');
  if (charset === undefined || charset.toLowerCase() === 'utf-8') return;
  throw new ApiError(
    'unsupported_media_type',
    'unsupported_media_type',
    `This route accepts application/json in UTF-8 (charset=utf-8 or none); the request says charset=${charset.slice(0, 40)}`,
  );
}

function refuseEncoded(request: FastifyRequest): void {
  const encoding = request.headers['content-encoding'];
  if (encoding === undefined || encoding.trim().toLowerCase() === 'identity') return;
  throw new ApiError(
    'unsupported_media_type',
    'unsupported_content_encoding',
    `This route reads bodies as sent (Content-Encoding identity or none); the request says ${encoding.slice(0, 40)}`,
  );
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Strict: bytes that are not UTF-8 are refused rather than read as U+FFFD and passed on. */
function utf8Text(bytes: Buffer): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new ApiError('invalid_request', 'invalid_utf8', 'The body is not valid UTF-8');
  }
}

function describe(mediaTypes: readonly string[]): string {
  if (mediaTypes.length === 1 && mediaTypes[0] === JSON_MEDIA_TYPE) {
    return 'application/json (UTF-8)';
  }
  return mediaTypes.join(', ');
}
