/** Wrappers are followed this deep at most (a cause cycle must not loop). */
const MAX_DEPTH = 8;

/**
 * The first answer `inspect` gives for an error or anything it wraps, depth first: kafkajs and
 * pg-pool wrap the failure that mattered in `cause` ("number of retries exceeded", a connect
 * timeout), typeorm's QueryFailedError holds the driver's in `driverError`, and aggregate errors
 * (Node's connect to a name with several addresses) hold theirs in `errors`.
 */
export function findInErrorChain<T>(
  error: unknown,
  inspect: (candidate: object) => T | undefined,
): T | undefined {
  const seen = new Set<unknown>();
  const visit = (candidate: unknown, depth: number): T | undefined => {
    if (depth > MAX_DEPTH || typeof candidate !== 'object' || candidate === null) return undefined;
    if (seen.has(candidate)) return undefined;
    seen.add(candidate);
    const own = inspect(candidate);
    if (own !== undefined) return own;
    for (const inner of wrapped(candidate)) {
      const found = visit(inner, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return visit(error, 0);
}

function wrapped(error: object): unknown[] {
  const inner: unknown[] = [];
  if ('driverError' in error) inner.push(error.driverError);
  if ('cause' in error) inner.push(error.cause);
  if ('errors' in error && Array.isArray(error.errors)) inner.push(...(error.errors as unknown[]));
  return inner;
}

/**
 * A string property of an error-like object (`name`, `message`, a socket's or Postgres's `code`,
 * kafkajs's protocol `type`).
 */
export function stringProperty(
  error: object,
  key: 'name' | 'message' | 'code' | 'type',
): string | undefined {
  const value: unknown = (error as Partial<Record<typeof key, unknown>>)[key];
  return typeof value === 'string' ? value : undefined;
}
