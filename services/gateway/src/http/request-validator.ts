import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { ApiError, type FieldViolation } from '../problems/api-error.js';
import { E164_PATTERN, type RequestSchemaName, requestSchemas } from './request-schemas.js';

// ajv-formats is CommonJS; under nodenext its default export arrives as the module object.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020;

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
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
  if (!validate(body)) {
    throw ApiError.invalid(
      'The request body is not valid',
      (validate.errors ?? []).map(violationOf),
    );
  }
  return body as T;
}

function violationOf(error: ErrorObject): FieldViolation {
  const path = error.instancePath.replace(/^\//, '').replaceAll('/', '.');
  switch (error.keyword) {
    case 'additionalProperties': {
      const extra = String((error.params as { additionalProperty: string }).additionalProperty);
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
            : `must match ${pattern}`,
      };
    }
    default:
      return { field: path || '(body)', message: error.message ?? 'is invalid' };
  }
}
