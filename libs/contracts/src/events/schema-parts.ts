/** Reusable JSON Schema (2020-12) fragments for event contracts. */
export const e164 = {
  type: 'string',
  pattern: '^\\+[1-9][0-9]{1,14}$',
  description: 'E.164 phone number',
} as const;
export const uuid = { type: 'string', format: 'uuid' } as const;
export const instant = { type: 'string', format: 'date-time' } as const;
export const nonEmpty = { type: 'string', minLength: 1 } as const;
export const encoding = { enum: ['GSM-7', 'UCS-2'] } as const;
export const purpose = { enum: ['conversational', 'transactional', 'marketing'] } as const;
export const mediaUrls = {
  type: 'array',
  items: { type: 'string', format: 'uri' },
  maxItems: 10,
} as const;

export function eventSchema(
  type: string,
  properties: Record<string, unknown>,
  required: readonly string[],
): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://schemas.textplane.dev/events/${type}.json`,
    title: type,
    type: 'object',
    properties,
    required,
    // Consumers must tolerate fields added by a later minor revision of the same major.
    additionalProperties: true,
  };
}
