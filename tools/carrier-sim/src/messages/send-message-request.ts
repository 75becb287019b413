import { type TelnyxErrorResponse, telnyxErrorResponse } from '../telnyx-errors.js';

/** A validated `POST /v2/messages` body. */
export interface SendMessageRequest {
  readonly from: string;
  readonly to: string;
  readonly text: string;
  readonly subject: string | null;
  readonly mediaUrls: readonly string[];
  readonly type: 'SMS' | 'MMS';
  readonly messagingProfileId: string | null;
  readonly webhookUrl: string | null;
  readonly webhookFailoverUrl: string | null;
  readonly useProfileWebhooks: boolean;
}

export interface SenderAccount {
  readonly numbers: ReadonlySet<string>;
  readonly acceptAnyFrom: boolean;
}

export type SendMessageParse =
  | { readonly ok: true; readonly request: SendMessageRequest }
  | { readonly ok: false; readonly error: TelnyxErrorResponse };

const E164 = /^\+[1-9]\d{1,14}$/;
const SHORT_CODE = /^\d{5,6}$/;
// Alphanumeric sender IDs: up to 11 characters with at least one letter.
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 2000 || !URL.canParse(value)) return false;
  const protocol = new URL(value).protocol;
  return protocol === 'http:' || protocol === 'https:';
}

function fail(error: TelnyxErrorResponse): SendMessageParse {
  return { ok: false, error };
}

function parseTo(raw: unknown): string | null {
  // Telnyx takes a string or a one-element array; several recipients are not supported.
  const candidate = Array.isArray(raw) && raw.length === 1 ? (raw[0] as unknown) : raw;
  if (typeof candidate !== 'string') return null;
  return E164.test(candidate) || SHORT_CODE.test(candidate) ? candidate : null;
}

function optionalUrl(
  body: Record<string, unknown>,
  field: string,
): { ok: true; value: string | null } | { ok: false; error: TelnyxErrorResponse } {
  const raw = body[field];
  if (raw === undefined || raw === null || raw === '') return { ok: true, value: null };
  if (isHttpUrl(raw)) return { ok: true, value: raw };
  return {
    ok: false,
    error: telnyxErrorResponse('invalidUrl', { source: { pointer: `/${field}` } }),
  };
}

export function parseSendMessageRequest(body: unknown, account: SenderAccount): SendMessageParse {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail(telnyxErrorResponse('badRequest', { detail: 'The body must be a JSON object.' }));
  }
  const fields = body as Record<string, unknown>;

  const to = parseTo(fields['to']);
  if (to === null) {
    return fail(telnyxErrorResponse('invalidToAddress', { source: { pointer: '/to' } }));
  }

  const messagingProfileId = fields['messaging_profile_id'];
  if (messagingProfileId !== undefined && typeof messagingProfileId !== 'string') {
    return fail(
      telnyxErrorResponse('badRequest', { source: { pointer: '/messaging_profile_id' } }),
    );
  }

  const rawFrom = fields['from'];
  let from: string;
  if (rawFrom === undefined || rawFrom === null || rawFrom === '') {
    // Number pool: the profile picks the sender.
    const pooled = messagingProfileId === undefined ? undefined : [...account.numbers][0];
    if (pooled === undefined) {
      return fail(
        telnyxErrorResponse('missingRequiredParameter', { source: { pointer: '/from' } }),
      );
    }
    from = pooled;
  } else if (
    typeof rawFrom !== 'string' ||
    !(E164.test(rawFrom) || SHORT_CODE.test(rawFrom) || ALPHANUMERIC_SENDER.test(rawFrom))
  ) {
    return fail(telnyxErrorResponse('invalidFromAddress', { source: { pointer: '/from' } }));
  } else if (!account.acceptAnyFrom && !account.numbers.has(rawFrom)) {
    return fail(
      telnyxErrorResponse('invalidFromAddress', {
        detail: `The 'from' address ${rawFrom} is not a number on your account.`,
        source: { pointer: '/from' },
      }),
    );
  } else {
    from = rawFrom;
  }

  const rawText = fields['text'];
  if (rawText !== undefined && rawText !== null && typeof rawText !== 'string') {
    return fail(telnyxErrorResponse('badRequest', { source: { pointer: '/text' } }));
  }
  const text = rawText ?? '';

  const rawSubject = fields['subject'];
  if (rawSubject !== undefined && rawSubject !== null && typeof rawSubject !== 'string') {
    return fail(telnyxErrorResponse('badRequest', { source: { pointer: '/subject' } }));
  }

  const rawMedia = fields['media_urls'] ?? [];
  if (!Array.isArray(rawMedia)) {
    return fail(telnyxErrorResponse('invalidUrl', { source: { pointer: '/media_urls' } }));
  }
  const mediaUrls: string[] = [];
  for (const [index, url] of rawMedia.entries()) {
    if (!isHttpUrl(url)) {
      return fail(
        telnyxErrorResponse('invalidUrl', { source: { pointer: `/media_urls/${index}` } }),
      );
    }
    mediaUrls.push(url);
  }

  if (text === '' && mediaUrls.length === 0) {
    return fail(
      telnyxErrorResponse('missingRequiredParameter', {
        detail: "The 'text' parameter is required when no 'media_urls' are given.",
        source: { pointer: '/text' },
      }),
    );
  }

  const rawType = fields['type'];
  if (rawType !== undefined && rawType !== 'SMS' && rawType !== 'MMS') {
    return fail(
      telnyxErrorResponse('badRequest', {
        detail: "The 'type' must be SMS or MMS.",
        source: { pointer: '/type' },
      }),
    );
  }

  const webhookUrl = optionalUrl(fields, 'webhook_url');
  if (!webhookUrl.ok) return fail(webhookUrl.error);
  const webhookFailoverUrl = optionalUrl(fields, 'webhook_failover_url');
  if (!webhookFailoverUrl.ok) return fail(webhookFailoverUrl.error);

  const useProfileWebhooks = fields['use_profile_webhooks'];
  if (useProfileWebhooks !== undefined && typeof useProfileWebhooks !== 'boolean') {
    return fail(
      telnyxErrorResponse('badRequest', { source: { pointer: '/use_profile_webhooks' } }),
    );
  }

  return {
    ok: true,
    request: {
      from,
      to,
      text,
      subject: rawSubject ?? null,
      mediaUrls,
      type: mediaUrls.length > 0 ? 'MMS' : (rawType ?? 'SMS'),
      messagingProfileId: messagingProfileId ?? null,
      webhookUrl: webhookUrl.value,
      webhookFailoverUrl: webhookFailoverUrl.value,
      useProfileWebhooks: useProfileWebhooks ?? true,
    },
  };
}
