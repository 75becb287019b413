import { commonErrors, json, type OpenApiOperations, ref } from '../openapi/openapi-parts.js';

/** The settings context on REST. */
export const settingsOperations: OpenApiOperations = {
  paths: {
    '/v1/settings': {
      get: {
        operationId: 'getSettings',
        summary: "The tenant's settings, every key with its default filled in",
        responses: {
          '200': { description: 'The settings', content: json(ref('Settings')) },
          ...commonErrors,
        },
      },
      patch: {
        operationId: 'updateSettings',
        summary: 'Change settings (JSON merge patch: null resets a key to its default)',
        description:
          'Keys left out stay as they are. An unknown key, a wrong type or a value out of ' +
          'range is refused with 400 naming the field (e.g. `optOutReminder.everyDays`), and ' +
          'nothing is recorded. Answers the whole settings object as stored; a GET right ' +
          'after sees it.',
        requestBody: { required: true, content: json(ref('UpdateSettingsRequest')) },
        responses: {
          '200': { description: 'The settings after the change', content: json(ref('Settings')) },
          ...commonErrors,
        },
      },
    },
  },
  schemas: {
    Settings: {
      type: 'object',
      required: ['optOutReminder', 'campaignUseCaseMismatch', 'numberValidation'],
      properties: {
        optOutReminder: {
          type: ['object', 'null'],
          required: ['everyDays'],
          description:
            'Periodic opt-out reminder; null: off (the default). When on, a transactional or ' +
            'conversational text to a contact not sent an opt-out line in the last `everyDays` ' +
            'days gets "Reply STOP to opt out." added (marketing gets it every time)',
          properties: { everyDays: { type: 'integer', minimum: 1, maximum: 365 } },
        },
        campaignUseCaseMismatch: {
          enum: ['flag', 'block'],
          description:
            "A message whose purpose does not fit its sender campaign's use case: flagged " +
            '`campaign_use_case_mismatch` (the default) or blocked with that reason',
        },
        numberValidation: {
          type: 'object',
          required: ['enabled', 'skipLineTypes', 'cacheDays'],
          description:
            "Number validation: each new recipient's line type looked up once (cached " +
            '`cacheDays`); a recipient of a skipped line type is blocked `recipient_not_mobile`',
          properties: {
            enabled: { type: 'boolean' },
            skipLineTypes: {
              type: 'array',
              items: { enum: ['mobile', 'landline', 'voip', 'toll_free', 'unknown'] },
            },
            cacheDays: { type: 'integer', minimum: 1, maximum: 365 },
          },
        },
      },
    },
  },
};
