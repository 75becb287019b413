/** The building blocks of every context's request schemas (JSON Schema 2020-12). */

/**
 * E.164, and for the North American Numbering Plan (+1) exactly ten digits with an area code
 * that does not start with 0 or 1: "+1415555" is a typo, not a number.
 */
export const E164_PATTERN = '^(?:\\+1[2-9][0-9]{9}|\\+[2-9][0-9]{1,14})$';

/** A required text must say something: blanks alone (" ", a tab, U+00A0) are refused. */
export const NOT_BLANK_PATTERN = '\\S';

/** Only web addresses: `javascript:`, `file:`, `data:` and the like are refused. */
export const HTTP_URL_PATTERN = '^https?://';

/** IANA zone names only (America/New_York, UTC); offsets such as "+1555" are refused. */
export const IANA_TIME_ZONE_FORMAT = 'iana-time-zone';

/** A text that is required: not empty, not only blanks. */
export const requiredText = (maxLength: number, description?: string) =>
  ({
    type: 'string',
    minLength: 1,
    maxLength,
    pattern: NOT_BLANK_PATTERN,
    ...(description ? { description } : {}),
  }) as const;

export const ianaTimeZone = (description: string) =>
  ({ type: 'string', format: IANA_TIME_ZONE_FORMAT, maxLength: 64, description }) as const;

export const e164 = {
  type: 'string',
  pattern: E164_PATTERN,
  description: 'Phone number in E.164 format, e.g. +15555550123',
  examples: ['+15555550123'],
} as const;
