import { CUSTOM_VALUE_MAX_LENGTH } from '@textplane/contracts';

/** `PUT /v1/custom-values/{key}`: the value, a string of at most 1,000 characters. */
export const SetCustomValueRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['value'],
  properties: {
    value: {
      type: 'string',
      maxLength: CUSTOM_VALUE_MAX_LENGTH,
      description: `The value merge fields render as {{ custom_values.<key> }}, up to ${CUSTOM_VALUE_MAX_LENGTH} characters`,
    },
  },
} as const;
