import { z } from 'zod';

/**
 * Builders for environment variables. Each reads the raw string (absent or blank counts as
 * missing), falls back to its default, and otherwise reports "must be <expectation>" so the
 * ConfigError names what was expected.
 */
function field<T>(expectation: string, parse: (raw: string) => T | undefined, fallback?: T) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T => {
      const value = raw?.trim();
      if (value === undefined || value === '') {
        if (fallback !== undefined) return fallback;
        ctx.addIssue({ code: 'custom', message: `is required and must be ${expectation}` });
        return z.NEVER;
      }
      const parsed = parse(value);
      if (parsed === undefined) {
        ctx.addIssue({ code: 'custom', message: `must be ${expectation}` });
        return z.NEVER;
      }
      return parsed;
    });
}

export interface IntOptions {
  min?: number;
  max?: number;
  default?: number;
}

export function int(options: IntOptions = {}) {
  const { min, max } = options;
  const range =
    min !== undefined && max !== undefined
      ? ` between ${min} and ${max}`
      : min !== undefined
        ? ` of at least ${min}`
        : max !== undefined
          ? ` of at most ${max}`
          : '';
  return field(
    `an integer${range}`,
    (raw) => {
      if (!/^[+-]?\d+$/.test(raw)) return undefined;
      const value = Number(raw);
      if (!Number.isSafeInteger(value)) return undefined;
      if (min !== undefined && value < min) return undefined;
      if (max !== undefined && value > max) return undefined;
      return value;
    },
    options.default,
  );
}

/** A TCP port, 1 to 65535. */
export function port(defaultPort?: number) {
  return int({
    min: 1,
    max: 65535,
    ...(defaultPort === undefined ? {} : { default: defaultPort }),
  });
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** true/false, also accepting 1/0, yes/no, on/off in any case. */
export function bool(defaultValue?: boolean) {
  return field(
    'a boolean (true or false)',
    (raw) => {
      const value = raw.toLowerCase();
      if (TRUE.has(value)) return true;
      if (FALSE.has(value)) return false;
      return undefined;
    },
    defaultValue,
  );
}

export interface UrlOptions {
  default?: string;
  /** Allowed schemes without the colon, e.g. ['postgres', 'postgresql']; any scheme when omitted. */
  protocols?: readonly string[];
}

/** An absolute URL, returned as the string given (so credentials and paths stay untouched). */
export function url(options: UrlOptions | string = {}) {
  const { default: fallback, protocols } =
    typeof options === 'string' ? { default: options, protocols: undefined } : options;
  const expectation =
    protocols === undefined
      ? 'an absolute URL'
      : `a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`;
  return field(
    expectation,
    (raw) => {
      if (!URL.canParse(raw)) return undefined;
      const scheme = new URL(raw).protocol.replace(/:$/, '');
      if (protocols !== undefined && !protocols.includes(scheme)) return undefined;
      return raw;
    },
    fallback,
  );
}

/** A comma-separated list, items trimmed, empty items dropped; at least one item. */
export function csv(defaultItems?: readonly string[]) {
  return field(
    'a comma-separated list of at least one item',
    (raw) => {
      const items = raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
      return items.length === 0 ? undefined : items;
    },
    defaultItems === undefined ? undefined : [...defaultItems],
  );
}

/** A non-blank string, trimmed. */
export function nonEmpty(defaultValue?: string) {
  return field('a non-empty string', (raw) => raw, defaultValue);
}

/** A string that may be left unset (blank counts as unset): undefined then. */
export function optionalNonEmpty() {
  return z
    .string()
    .optional()
    .transform((raw): string | undefined => {
      const value = raw?.trim();
      return value === undefined || value === '' ? undefined : value;
    });
}

/** One of a fixed set of values, compared exactly. */
export function oneOf<const V extends readonly [string, ...string[]]>(
  values: V,
  defaultValue?: V[number],
) {
  return field(
    `one of ${values.join(', ')}`,
    (raw): V[number] | undefined => values.find((value) => value === raw),
    defaultValue,
  );
}
