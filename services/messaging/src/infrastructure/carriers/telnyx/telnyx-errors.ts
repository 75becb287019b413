/**
 * Telnyx error bodies look like `{"errors":[{"code":"40310","title":"...","detail":"..."}]}`.
 * Only transport-level statuses are retried; a coded 4xx is the carrier's final word.
 */
export interface TelnyxError {
  code: string;
  title: string | null;
  detail: string | null;
}

export function telnyxErrorOf(body: unknown): TelnyxError | null {
  if (typeof body !== 'object' || body === null || !('errors' in body)) return null;
  const errors = body.errors;
  if (!Array.isArray(errors) || errors.length === 0) return null;
  const first: unknown = errors[0];
  if (typeof first !== 'object' || first === null) return null;
  const { code, title, detail } = first as Record<string, unknown>;
  return {
    code: typeof code === 'string' || typeof code === 'number' ? String(code) : 'unknown',
    title: typeof title === 'string' ? title : null,
    detail: typeof detail === 'string' ? detail : null,
  };
}

/** 408, 429 and 5xx mean "not now", not "never". */
export function isRetryableTelnyxStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
