import type { z } from 'zod';

/** Thrown by loadConfig; its message lists every invalid variable and is fit for stderr as is. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly serviceName: string,
    /** One line per invalid variable, e.g. `PORT must be an integer between 1 and 65535 (got "abc")`. */
    readonly problems: readonly string[],
  ) {
    super(`${serviceName}: invalid configuration: ${problems.join('; ')}`);
  }
}

/**
 * Validates the environment once against a schema whose keys are the variable names, and returns
 * the typed result deeply frozen, so configuration cannot drift after boot.
 * Throws a ConfigError naming every invalid variable, not only the first.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined>,
  serviceName: string,
): Readonly<z.infer<S>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      serviceName,
      result.error.issues.map((issue) => describeIssue(issue, env)),
    );
  }
  return deepFreeze(result.data);
}

/**
 * Runs a service's configuration loading; on a ConfigError prints its message to stderr and
 * exits 1 without a stack trace (the message already says what to fix). Other errors propagate.
 */
export function exitOnConfigError<T>(load: () => T): T {
  try {
    return load();
  } catch (error: unknown) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

const SECRET_NAME = /KEY|SECRET|PASSWORD|TOKEN|CREDENTIAL/i;

function describeIssue(issue: z.core.$ZodIssue, env: Record<string, string | undefined>): string {
  const name = issue.path.map(String).join('.') || '(environment)';
  const raw = typeof issue.path[0] === 'string' ? env[issue.path[0]] : undefined;
  const missing = raw === undefined || raw.trim() === '';
  return `${name} ${expectation(issue, missing)}${missing ? '' : ` (got ${shown(name, raw)})`}`;
}

/** Our field builders already phrase their message ("must be ..."); zod's own ones are rephrased. */
function expectation(issue: z.core.$ZodIssue, missing: boolean): string {
  switch (issue.code) {
    case 'custom':
      return issue.message;
    case 'invalid_type':
      // A schema's own wording (z.string({ error: 'is required: ...' })) says it best.
      if (!issue.message.startsWith('Invalid input')) return issue.message;
      return missing ? `is required (${issue.expected})` : `must be a ${issue.expected}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      return `must be ${issue.exact === true ? 'exactly' : 'at least'} ${String(issue.minimum)}${unit(issue.origin)}`;
    case 'too_big':
      return `must be ${issue.exact === true ? 'exactly' : 'at most'} ${String(issue.maximum)}${unit(issue.origin)}`;
    default:
      return `is invalid: ${issue.message}`;
  }
}

function unit(origin: string): string {
  return origin === 'string' ? ' characters long' : '';
}

/** The offending value, except for secrets, whose value must not reach logs. */
function shown(name: string, raw: string | undefined): string {
  if (raw === undefined) return 'nothing';
  if (SECRET_NAME.test(name)) return `a value of ${raw.length} characters, hidden`;
  return JSON.stringify(raw.length > 80 ? `${raw.slice(0, 77)}...` : raw);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
