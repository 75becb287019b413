import {
  commonErrors,
  json,
  type OpenApiOperations,
  problem,
  ref,
} from '../openapi/openapi-parts.js';

const key = {
  name: 'key',
  in: 'path',
  required: true,
  description: '^[a-z][a-z0-9_]{0,63}$, rendered as {{ custom_values.<key> }}',
  schema: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,63}$' },
};
const location = { Location: { schema: { type: 'string' } } };
const pending = (what: string) => ({
  description:
    `${what} accepted, not confirmed by messaging (which owns custom values) within the ` +
    'confirmation timeout (GATEWAY_CONSENT_CONFIRM_TIMEOUT_MS). Location: the value.',
  headers: location,
  content: json(ref('CustomValueRequestPending')),
});

/** The custom values context on REST. */
export const customValuesOperations: OpenApiOperations = {
  paths: {
    '/v1/custom-values': {
      get: {
        operationId: 'listCustomValues',
        summary: "The business's custom values, by key",
        parameters: [
          { name: 'cursor', in: 'query', schema: { type: 'string' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
        ],
        responses: {
          '200': { description: 'A page of values', content: json(ref('CustomValuePage')) },
          ...commonErrors,
        },
      },
    },
    '/v1/custom-values/{key}': {
      put: {
        operationId: 'setCustomValue',
        summary: 'Set a custom value',
        parameters: [key],
        requestBody: { required: true, content: json(ref('SetCustomValueRequest')) },
        responses: {
          '200': { description: 'Replaced', headers: location, content: json(ref('CustomValue')) },
          '201': { description: 'Created', headers: location, content: json(ref('CustomValue')) },
          '202': pending('The write'),
          ...commonErrors,
        },
      },
      get: {
        operationId: 'getCustomValue',
        summary: 'A custom value',
        parameters: [key],
        responses: {
          '200': { description: 'The value', content: json(ref('CustomValue')) },
          '404': problem('No such value'),
          ...commonErrors,
        },
      },
      delete: {
        operationId: 'deleteCustomValue',
        summary: 'Delete a custom value',
        parameters: [key],
        responses: {
          '204': { description: 'Deleted' },
          '202': pending('The deletion'),
          '404': problem('No such value'),
          ...commonErrors,
        },
      },
    },
  },
  schemas: {
    CustomValue: {
      type: 'object',
      required: ['key', 'value', 'updatedAt'],
      properties: {
        key: { type: 'string' },
        value: { type: 'string' },
        updatedAt: { type: 'string', format: 'date-time' },
      },
    },
    CustomValuePage: {
      type: 'object',
      required: ['items', 'nextCursor'],
      properties: {
        items: { type: 'array', items: ref('CustomValue') },
        nextCursor: { type: ['string', 'null'] },
      },
    },
    CustomValueRequestPending: {
      type: 'object',
      required: ['status', 'requestId', 'key'],
      properties: {
        status: { const: 'pending' },
        requestId: { type: 'string', format: 'uuid' },
        key: { type: 'string' },
      },
    },
  },
};
