import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { isValidTimeZone } from '@textplane/compliance';
import { ApiError, echoed, type FieldViolation } from '../problems/api-error.js';
import { type RequestSchemaName, requestSchemas } from './request-schemas.js';
import {
  E164_PATTERN,
  HTTP_URL_PATTERN,
  IANA_TIME_ZONE_FORMAT,
  NOT_BLANK_PATTERN,
} from './schema-parts.js';

// ajv-formats is CommonJS; under nodenext its default export arrives as the module object.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020;

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
// One zone rule for every zone field: an IANA name ("+1555" is an offset Intl would take).
ajv.addFormat(IANA_TIME_ZONE_FORMAT, { type: 'string', validate: isValidTimeZone });
const validators = new Map<RequestSchemaName, ValidateFunction>(
  Object.entries(requestSchemas).map(([name, schema]) => [
    name as RequestSchemaName,
    ajv.compile(schema),
  ]),
);

/** Checks a request body against its schema; throws a 400 problem naming each bad field. */
export function validateRequest<T>(name: RequestSchemaName, body: unknown): T {
  const validate = validators.get(name);
  if (!validate) throw new Error(`No schema named ${name}`);
  if (body === undefined || body === null) {
    throw ApiError.invalid('The request needs a JSON body', [
      { field: '(body)', message: 'is required' },
    ]);
  }
  // No request of this API nests deeper than a few levels; a body that does is refused before
  // anything walks it (the walks below, and ajv's, recurse once per level).
  if (nestedDeeperThan(body, MAX_BODY_DEPTH)) {
    throw ApiError.invalid(`The request body nests deeper than ${MAX_BODY_DEPTH} levels`, [
      {
        field: '(body)',
        message: `must not nest arrays and objects deeper than ${MAX_BODY_DEPTH}`,
      },
    ]);
  }
  // Postgres (jsonb, text) cannot store U+0000 or an unpaired surrogate: a string holding one
  // is refused here, for every schema and every field, rather than failing at the append.
  const unstorable = unstorableStrings(body, '');
  const valid = validate(body);
  if (!valid || unstorable.length > 0) {
    const schemaViolations = (valid ? [] : (validate.errors ?? [])).map(violationOf);
    throw ApiError.invalid('The request body is not valid', [
      ...unstorable,
      ...schemaViolations.filter((v) => !unstorable.some((u) => u.field === v.field)),
    ]);
  }
  return body as T;
}

/** Arrays and objects inside one another, at most (a contact's custom date field is 3 deep). */
export const MAX_BODY_DEPTH = 32;

/** Whether a JSON value nests arrays/objects deeper than `max`, found without recursion. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next.value === null || typeof next.value !== 'object') continue;
    const depth = next.depth + 1;
    if (depth > max) return true;
    const children = Array.isArray(next.value) ? next.value : Object.values(next.value);
    for (const child of children) pending.push({ value: child, depth });
  }
  return false;
}

export const UNSTORABLE_TEXT_MESSAGE = 'must not contain U+0000 or unpaired surrogates';

/** True when Postgres can store the string: no U+0000, no unpaired UTF-16 surrogate. */
export function isStorableText(text: string): boolean {
  return text.isWellFormed() && !text.includes('\u0000');
}

/** Every string (value or property name) in a JSON value that Postgres could not store. */
function unstorableStrings(value: unknown, path: string): FieldViolation[] {
  if (typeof value === 'string') {
    return isStorableText(value)
      ? []
      : [{ field: path || '(body)', message: UNSTORABLE_TEXT_MESSAGE }];
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => unstorableStrings(item, join(path, String(index))));
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      isStorableText(key)
        ? unstorableStrings(item, join(path, key))
        : [{ field: join(path, echoed(key)), message: `name ${UNSTORABLE_TEXT_MESSAGE}` }],
    );
  }
  return [];
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function violationOf(error: ErrorObject): FieldViolation {
  const path = error.instancePath.replace(/^\//, '').replaceAll('/', '.');
  switch (error.keyword) {
    case 'additionalProperties': {
      // The caller's key, which may be any length: quoted, not repeated whole.
      const extra = echoed(
        String((error.params as { additionalProperty: string }).additionalProperty),
      );
      return { field: path ? `${path}.${extra}` : extra, message: 'is not a known field' };
    }
    case 'required': {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      return { field: path ? `${path}.${missing}` : missing, message: 'is required' };
    }
    case 'pattern': {
      const pattern = String((error.params as { pattern: string }).pattern);
      return {
        field: path || '(body)',
        message:
          pattern === E164_PATTERN
            ? 'must be an E.164 phone number such as +15555550123 (+1 and ten digits in North America)'
            : pattern === NOT_BLANK_PATTERN
              ? 'must not be blank'
              : pattern === HTTP_URL_PATTERN
                ? 'must be an http(s) URL'
                : `must match ${pattern}`,
      };
    }
    case 'format':
      return {
        field: path || '(body)',
        message:
          (error.params as { format: string }).format === IANA_TIME_ZONE_FORMAT
            ? 'must be an IANA time zone such as America/New_York'
            : (error.message ?? 'is invalid'),
      };
    default:
      return { field: path || '(body)', message: error.message ?? 'is invalid' };
  }
}
