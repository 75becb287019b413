import {
  LINE_TYPES,
  NUMBER_VALIDATION_MAX_CACHE_DAYS,
  OPT_OUT_REMINDER_MAX_DAYS,
} from '@textplane/contracts';

/**
 * `PATCH /v1/settings`: a JSON merge patch of the settings (a key left out is kept, null resets
 * it to its default). An unknown key, a wrong type or a value out of range is a 400 naming the
 * field (`optOutReminder.everyDays`), and nothing is recorded.
 */
export const UpdateSettingsRequestSchema = {
  type: 'object',
  additionalProperties: false,
  description:
    'A JSON merge patch of the tenant settings: a key left out stays as it is, a key set to ' +
    'null goes back to its default',
  properties: {
    optOutReminder: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['everyDays'],
      description:
        'Periodic opt-out reminder: a transactional or conversational text to a contact that ' +
        'has not been sent an opt-out line ("Reply STOP to opt out.") in the last `everyDays` ' +
        'days gets it added (marketing gets it every time). null: off (the default)',
      properties: {
        everyDays: {
          type: 'integer',
          minimum: 1,
          maximum: OPT_OUT_REMINDER_MAX_DAYS,
          description: `Days between opt-out lines to one contact, 1 to ${OPT_OUT_REMINDER_MAX_DAYS}`,
        },
      },
    },
    campaignUseCaseMismatch: {
      type: ['string', 'null'],
      enum: ['flag', 'block', null],
      description:
        "A message whose purpose does not fit its sender campaign's use case (marketing from a " +
        '2FA campaign): `flag` (the default) lets it through flagged ' +
        '`campaign_use_case_mismatch`, `block` blocks it with that reason',
    },
    numberValidation: {
      type: ['object', 'null'],
      additionalProperties: false,
      description:
        "Look up each new recipient's line type (once, cached) before the first text to it; " +
        'a recipient of a skipped line type is blocked `recipient_not_mobile`. null: the ' +
        'defaults (off, skip landlines, 30 days)',
      properties: {
        enabled: { type: ['boolean', 'null'] },
        skipLineTypes: {
          type: ['array', 'null'],
          uniqueItems: true,
          items: { enum: [...LINE_TYPES] },
          description: `Line types blocked: ${LINE_TYPES.join(', ')}; default landline`,
        },
        cacheDays: {
          type: ['integer', 'null'],
          minimum: 1,
          maximum: NUMBER_VALIDATION_MAX_CACHE_DAYS,
          description: `Days a lookup is reused, 1 to ${NUMBER_VALIDATION_MAX_CACHE_DAYS}; default 30`,
        },
      },
    },
  },
} as const;
