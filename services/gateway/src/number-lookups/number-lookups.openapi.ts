import {
  LINE_TYPES,
  NUMBER_LOOKUP_FAILURE_REASONS,
  RECIPIENT_CARRIERS,
} from '@textplane/contracts';
import { json, nullable, type OpenApiOperations, problem, ref } from '../openapi/openapi-parts.js';

const instant = { type: 'string', format: 'date-time' } as const;

export const numberLookupsOperations: OpenApiOperations = {
  paths: {
    '/v1/numbers/{phone}/lookup': {
      get: {
        operationId: 'getNumberLookup',
        summary: 'What number validation knows of a number: line type, carrier, when looked up',
        description:
          "Messaging looks a recipient up once (the carrier's number lookup) when a tenant with " +
          "`numberValidation` on first texts it, and again after the tenant's `cacheDays`. " +
          "`carrier` is textplane's (`att`, `tmobile`, `verizon`, `other`), `carrierName` and " +
          "`carrierLineType` the carrier's own words. Shown for a number the tenant has a " +
          'conversation with; 404 when nothing is known.',
        parameters: [
          {
            name: 'phone',
            in: 'path',
            required: true,
            description: 'The number, E.164 (the + may be sent as %2B)',
            schema: { type: 'string', pattern: '^\\+[1-9][0-9]{1,14}$' },
          },
        ],
        responses: {
          '200': { description: 'What is known', content: json(ref('NumberLookup')) },
          '400': problem('Not an E.164 number'),
          '401': problem('Missing or invalid API key'),
          '404': problem('Nothing is known of the number (for this tenant)'),
        },
      },
    },
  },
  schemas: {
    NumberLookup: {
      type: 'object',
      required: [
        'phoneNumber',
        'lineType',
        'carrier',
        'carrierName',
        'carrierLineType',
        'lookedUpAt',
        'lastFailure',
      ],
      properties: {
        phoneNumber: { type: 'string' },
        lineType: { enum: [...LINE_TYPES, null] },
        carrier: { enum: [...RECIPIENT_CARRIERS, null] },
        carrierName: nullable('string'),
        carrierLineType: nullable('string'),
        lookedUpAt: nullable('string', { format: 'date-time' }),
        lastFailure: {
          oneOf: [
            { type: 'null' },
            {
              type: 'object',
              required: ['reason', 'detail', 'failedAt'],
              properties: {
                reason: { enum: NUMBER_LOOKUP_FAILURE_REASONS },
                detail: { type: 'string' },
                failedAt: instant,
              },
            },
          ],
        },
      },
    },
  },
};
