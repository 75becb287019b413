import { OPT_OUT_REMINDER_MAX_DAYS } from '@textplane/contracts';

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
  },
} as const;
