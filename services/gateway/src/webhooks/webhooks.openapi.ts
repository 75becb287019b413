import { type OpenApiOperations, problem } from '../openapi/openapi-parts.js';

/** Carrier webhooks received by the gateway. */
export const webhooksOperations: OpenApiOperations = {
  paths: {
    '/webhooks/telnyx': {
      post: {
        operationId: 'receiveTelnyxWebhook',
        summary: 'Telnyx messaging webhooks (Ed25519-signed)',
        security: [],
        responses: {
          '200': { description: 'Received (or recognised as a redelivery)' },
          '400': problem('Correctly signed, but not a Telnyx messaging event in JSON'),
          '401': problem(
            'Bad signature or timestamp out of tolerance (checked first, whatever the body)',
          ),
        },
      },
    },
  },
  schemas: {},
};
