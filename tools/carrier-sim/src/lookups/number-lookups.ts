import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpAnswer } from '../carrier.js';
import { telnyxErrorResponse } from '../telnyx-errors.js';
import { simulatedNumberLookup } from './number-lookup-rules.js';

/**
 * Number lookups (issue 12 §4): `GET /v2/number_lookup/{phone}` as Telnyx answers it (the SDK's
 * `numberLookup.retrieve`, the `+` sent as it is or encoded), by the rules of
 * number-lookup-rules.ts, and a control API for tests:
 *
 * - `GET /sim/lookups?phoneNumber=`: the lookups received, in order (`{data: [{phone_number,
 *   type, received_at, answered}]}`), so a test counts the calls for a number;
 * - `POST /sim/lookups/faults {mode, count?, phoneNumber?}`: the next `count` (default 1) lookups
 *   (of `phoneNumber` if given) fail: `http_500` (10007), `http_429` (10011, `Retry-After: 1`),
 *   `http_422` (10015, the number refused, as Telnyx refuses a Canadian number on an account not
 *   enabled for them); `GET` lists and `DELETE` clears them;
 * - `POST /sim/reset` forgets both.
 */

export const lookupFaultModes = ['http_500', 'http_429', 'http_422'] as const;
export type LookupFaultMode = (typeof lookupFaultModes)[number];

interface LookupFault {
  readonly mode: LookupFaultMode;
  readonly remaining: number;
  readonly phoneNumber?: string;
}

interface ReceivedLookup {
  readonly phone_number: string;
  readonly type: string | null;
  readonly received_at: string;
  /** The HTTP status answered. */
  readonly answered: number;
}

type FaultParse = { ok: true; fault: LookupFault } | { ok: false; reason: string };

export function parseLookupFault(input: unknown): FaultParse {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, reason: 'body must be a JSON object' };
  }
  const { mode, count, phoneNumber } = input as Record<string, unknown>;
  if (typeof mode !== 'string' || !(lookupFaultModes as readonly string[]).includes(mode)) {
    return { ok: false, reason: `mode must be one of ${lookupFaultModes.join(', ')}` };
  }
  const remaining = count === undefined ? 1 : count;
  if (typeof remaining !== 'number' || !Number.isInteger(remaining) || remaining < 1) {
    return { ok: false, reason: 'count must be a positive integer' };
  }
  if (phoneNumber !== undefined && typeof phoneNumber !== 'string') {
    return { ok: false, reason: 'phoneNumber must be a string' };
  }
  const fault: LookupFault = {
    mode: mode as LookupFaultMode,
    remaining,
    ...(phoneNumber === undefined ? {} : { phoneNumber }),
  };
  return { ok: true, fault };
}

const MAX_KEPT = 100_000;

function json(status: number, value: unknown, headers?: Record<string, string>): HttpAnswer {
  return { status, body: JSON.stringify(value), ...(headers ? { headers } : {}) };
}

function telnyxError(kind: Parameters<typeof telnyxErrorResponse>[0], detail?: string): HttpAnswer {
  const error = telnyxErrorResponse(kind, detail === undefined ? {} : { detail });
  return json(error.status, error.body);
}

function decodedPhone(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

async function readJson(
  req: IncomingMessage,
): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) return { ok: false };
    chunks.push(chunk as Buffer);
  }
  try {
    const raw = Buffer.concat(chunks).toString('utf8');
    return { ok: true, value: raw === '' ? {} : (JSON.parse(raw) as unknown) };
  } catch {
    return { ok: false };
  }
}

export class SimulatedNumberLookups {
  private faults: LookupFault[] = [];
  private received: ReceivedLookup[] = [];

  constructor(private readonly now: () => Date = () => new Date()) {}

  /**
   * The answer to a request for one of this module's routes, or null when the route is not one
   * (`key`: `METHOD /path`). `/v2/` routes need the bearer key as every Telnyx route does.
   */
  async route(req: IncomingMessage, url: URL, key: string): Promise<HttpAnswer | null> {
    const lookup = /^GET \/v2\/number_lookup\/([^/]+)$/.exec(key);
    if (lookup?.[1] !== undefined) {
      if (!/^Bearer\s+\S+/i.test(req.headers.authorization ?? '')) {
        return telnyxError('authenticationFailed');
      }
      return this.lookUp(lookup[1], url.searchParams.get('type'));
    }
    switch (key) {
      case 'GET /sim/lookups': {
        const phoneNumber = url.searchParams.get('phoneNumber');
        return json(200, {
          data:
            phoneNumber === null
              ? this.received
              : this.received.filter((r) => r.phone_number === phoneNumber),
        });
      }
      case 'GET /sim/lookups/faults':
        return json(200, { data: this.faults });
      case 'POST /sim/lookups/faults': {
        const body = await readJson(req);
        const parsed = body.ok
          ? parseLookupFault(body.value)
          : { ok: false as const, reason: 'invalid JSON' };
        if (!parsed.ok) return json(400, { error: parsed.reason });
        this.faults.push(parsed.fault);
        return json(201, { data: this.faults });
      }
      case 'DELETE /sim/lookups/faults':
        this.faults = [];
        return { status: 204, body: '' };
      default:
        return null;
    }
  }

  reset(): void {
    this.faults = [];
    this.received = [];
  }

  private lookUp(segment: string, type: string | null): HttpAnswer {
    const phoneNumber = decodedPhone(segment) ?? segment;
    const answer = this.answerFor(phoneNumber);
    this.received.push({
      phone_number: phoneNumber,
      type,
      received_at: this.now().toISOString(),
      answered: answer.status,
    });
    if (this.received.length > MAX_KEPT) this.received.shift();
    return answer;
  }

  private answerFor(phoneNumber: string): HttpAnswer {
    switch (this.takeFault(phoneNumber)) {
      case 'http_500':
        return telnyxError('unexpectedError');
      case 'http_429': {
        const error = telnyxErrorResponse('tooManyRequests');
        return json(error.status, error.body, { 'retry-after': '1' });
      }
      case 'http_422': {
        const error = telnyxErrorResponse('badRequest', {
          detail: `${phoneNumber} is a Canadian number`,
        });
        return json(422, error.body);
      }
      case undefined:
        break;
    }
    const data = simulatedNumberLookup(phoneNumber);
    if (data === null) {
      return telnyxError('badRequest', `${phoneNumber} is not a valid E.164 phone number`);
    }
    return json(200, { data });
  }

  private takeFault(phoneNumber: string): LookupFaultMode | undefined {
    const index = this.faults.findIndex(
      (f) => f.phoneNumber === undefined || f.phoneNumber === phoneNumber,
    );
    const fault = this.faults[index];
    if (!fault) return undefined;
    if (fault.remaining <= 1) this.faults.splice(index, 1);
    else this.faults[index] = { ...fault, remaining: fault.remaining - 1 };
    return fault.mode;
  }
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

function isLookupRoute(key: string): boolean {
  return /^GET \/v2\/number_lookup\/[^/]+$/.test(key) || /^[A-Z]+ \/sim\/lookups(\/|$)/.test(key);
}

/**
 * The simulator's request listener with the number-lookup routes in front: their requests are
 * answered here, every other one goes on to `next` (a reset also forgets the lookups).
 */
export function withNumberLookups(lookups: SimulatedNumberLookups, next: RequestListener) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://carrier-sim');
    const key = `${req.method ?? 'GET'} ${url.pathname.replace(/\/+$/, '') || '/'}`;
    if (key === 'POST /sim/reset') lookups.reset();
    if (!isLookupRoute(key)) {
      next(req, res);
      return;
    }
    lookups
      .route(req, url, key)
      .then((answer) => answer ?? telnyxError('resourceNotFound'))
      .catch(() => telnyxError('unexpectedError'))
      .then((answer) => {
        res.writeHead(answer.status, {
          ...(answer.status === 204 ? {} : { 'content-type': 'application/json' }),
          ...answer.headers,
        });
        res.end(answer.body);
      })
      .catch(() => res.destroy());
  };
}
