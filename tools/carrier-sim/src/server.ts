import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type HttpAnswer, SimulatedCarrier } from './carrier.js';
import { type CarrierSimSettings, defaultCarrierSimSettings } from './config.js';
import { parseFaultRule } from './faults.js';
import { SimulatedNumberLookups, withNumberLookups } from './lookups/number-lookups.js';
import { parseSendCaps } from './messages/send-caps.js';
import { telnyxErrorResponse } from './telnyx-errors.js';
import { TrustRegistry, parseTrustDecision, parseTrustHold } from './trust/trust-registry.js';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.js';
import { WebhookSigner } from './webhooks/webhook-signer.js';

export interface CarrierSimOptions extends Partial<CarrierSimSettings> {
  /** Clock for payload timestamps and idempotency expiry (tests). */
  readonly now?: () => Date;
}

export interface RunningCarrierSim {
  /** Base URL, e.g. `http://127.0.0.1:4010`; the Telnyx SDK's `baseURL` is `${url}/v2`. */
  readonly url: string;
  readonly port: number;
  /** Raw 32-byte Ed25519 public key, base64 (the SDK's `publicKey` / `TELNYX_PUBLIC_KEY`). */
  readonly publicKey: string;
  close(): Promise<void>;
}

// Telnyx limits a whole send body well below this; it only guards the simulator's memory.
const MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(buffer);
  }
  return chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks);
}

function reply(res: ServerResponse, answer: HttpAnswer): void {
  res.writeHead(answer.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(answer.body),
    ...answer.headers,
  });
  res.end(answer.body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  reply(res, { status, body: JSON.stringify(value) });
}

function telnyxError(res: ServerResponse, error: ReturnType<typeof telnyxErrorResponse>): void {
  json(res, error.status, error.body);
}

function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return {
      ok: true,
      value: raw.length === 0 ? {} : (JSON.parse(raw.toString('utf8')) as unknown),
    };
  } catch {
    return { ok: false };
  }
}

function hasBearerKey(req: IncomingMessage): boolean {
  const header = req.headers.authorization;
  return header !== undefined && /^Bearer\s+\S+/i.test(header);
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Holds an accepted send's answer (the `timeout` fault) until the hold ends or the client
 * gives up and closes the socket.
 */
function holdThenReply(res: ServerResponse, answer: HttpAnswer, holdMs: number): void {
  const timer = setTimeout(() => {
    if (!res.destroyed) reply(res, answer);
  }, holdMs);
  res.on('close', () => clearTimeout(timer));
}

/** The Telnyx 10DLC endpoints textplane's registration calls (`client.messaging10dlc`). */
async function routeTrust(
  trust: TrustRegistry,
  key: string,
  req: IncomingMessage,
): Promise<HttpAnswer | null> {
  const idempotencyKey = singleHeader(req.headers['idempotency-key']);
  const body = async () => {
    const parsed = parseJson(await readBody(req));
    return parsed.ok ? parsed.value : undefined;
  };
  const invalidJson = () => {
    const error = telnyxErrorResponse('badRequest');
    return { status: error.status, body: JSON.stringify(error.body) };
  };
  switch (key) {
    case 'POST /v2/10dlc/brand': {
      const value = await body();
      return value === undefined ? invalidJson() : trust.createBrand(value, idempotencyKey);
    }
    case 'POST /v2/10dlc/campaignBuilder': {
      const value = await body();
      return value === undefined ? invalidJson() : trust.submitCampaign(value, idempotencyKey);
    }
    case 'POST /v2/10dlc/phone_number_campaigns': {
      const value = await body();
      return value === undefined ? invalidJson() : trust.assignNumber(value, idempotencyKey);
    }
  }
  const otp = /^(POST|PUT|GET) \/v2\/10dlc\/brand\/([^/]+)\/smsOtp$/.exec(key);
  if (otp?.[2] !== undefined) {
    const brandId = decodeURIComponent(otp[2]);
    if (otp[1] === 'GET') return trust.brandOtpStatus(brandId);
    const value = await body();
    if (value === undefined) return invalidJson();
    return otp[1] === 'POST'
      ? trust.triggerBrandOtp(brandId, value, idempotencyKey)
      : trust.verifyBrandOtp(brandId, value, idempotencyKey);
  }
  const order = /^POST \/v2\/10dlc\/brand\/([^/]+)\/externalVetting$/.exec(key);
  if (order?.[1] !== undefined) {
    const value = await body();
    if (value === undefined) return invalidJson();
    return trust.orderVetting(decodeURIComponent(order[1]), value, idempotencyKey);
  }
  const vetting = /^GET \/v2\/10dlc\/brand\/([^/]+)\/externalVetting$/.exec(key);
  if (vetting?.[1] !== undefined) return trust.externalVettings(decodeURIComponent(vetting[1]));
  const brand = /^GET \/v2\/10dlc\/brand\/([^/]+)$/.exec(key);
  if (brand?.[1] !== undefined) return trust.brand(decodeURIComponent(brand[1]));
  const campaign = /^GET \/v2\/10dlc\/campaign\/([^/]+)$/.exec(key);
  if (campaign?.[1] !== undefined) return trust.campaign(decodeURIComponent(campaign[1]));
  const assignment = /^(GET|DELETE) \/v2\/10dlc\/phone_number_campaigns\/([^/]+)$/.exec(key);
  if (assignment?.[2] !== undefined) {
    const phoneNumber = decodeURIComponent(assignment[2]);
    return assignment[1] === 'GET'
      ? trust.assignment(phoneNumber)
      : trust.unassignNumber(phoneNumber);
  }
  return null;
}

/** The toll-free verification endpoints (`client.messagingTollfree.verification.requests`). */
async function routeTollFree(
  trust: TrustRegistry,
  key: string,
  req: IncomingMessage,
): Promise<HttpAnswer | null> {
  if (key === 'POST /v2/messaging_tollfree/verification/requests') {
    const parsed = parseJson(await readBody(req));
    if (!parsed.ok) {
      const error = telnyxErrorResponse('badRequest');
      return { status: error.status, body: JSON.stringify(error.body) };
    }
    return trust.createTollFreeVerification(
      parsed.value,
      singleHeader(req.headers['idempotency-key']),
    );
  }
  const one = /^GET \/v2\/messaging_tollfree\/verification\/requests\/([^/]+)$/.exec(key);
  if (one?.[1] !== undefined) return trust.tollFreeVerification(decodeURIComponent(one[1]));
  return null;
}

async function route(
  carrier: SimulatedCarrier,
  trust: TrustRegistry,
  settings: CarrierSimSettings,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://carrier-sim');
  const key = `${req.method ?? 'GET'} ${url.pathname.replace(/\/+$/, '') || '/'}`;

  if (url.pathname.startsWith('/v2/')) {
    if (!hasBearerKey(req)) {
      telnyxError(res, telnyxErrorResponse('authenticationFailed'));
      return;
    }
    if (url.pathname.startsWith('/v2/messaging_tollfree/verification/requests')) {
      const answer = await routeTollFree(trust, key, req);
      if (answer) reply(res, answer);
      else telnyxError(res, telnyxErrorResponse('resourceNotFound'));
      return;
    }
    if (url.pathname.startsWith('/v2/10dlc/')) {
      const answer = await routeTrust(trust, key, req);
      if (answer) reply(res, answer);
      else telnyxError(res, telnyxErrorResponse('resourceNotFound'));
      return;
    }
    const retrieve = /^GET \/v2\/messages\/([^/]+)$/.exec(key);
    if (retrieve?.[1] !== undefined) {
      reply(res, carrier.retrieve(retrieve[1]));
      return;
    }
    if (key !== 'POST /v2/messages') {
      telnyxError(res, telnyxErrorResponse('resourceNotFound'));
      return;
    }
    const raw = await readBody(req);
    const outcome = carrier.send(raw, singleHeader(req.headers['idempotency-key']));
    switch (outcome.kind) {
      case 'answer':
        reply(res, outcome.answer);
        return;
      case 'hold':
        holdThenReply(res, outcome.answer, settings.timeoutFaultHoldMs);
        return;
    }
  }

  const simOtp = /^GET \/sim\/trust\/otp\/([^/]+)$/.exec(key);
  if (simOtp?.[1] !== undefined) {
    reply(res, trust.simOtp(decodeURIComponent(simOtp[1])));
    return;
  }

  switch (key) {
    // The simulator has no dependencies: alive means ready.
    case 'GET /healthz':
    case 'GET /readyz':
      json(res, 200, { status: 'ok' });
      return;
    case 'GET /sim/public-key':
      json(res, 200, { publicKey: carrier.signer.publicKey });
      return;
    case 'GET /sim/messages': {
      const to = url.searchParams.get('to') ?? undefined;
      const from = url.searchParams.get('from') ?? undefined;
      json(res, 200, {
        data: carrier.sentMessages({
          ...(to === undefined ? {} : { to }),
          ...(from === undefined ? {} : { from }),
        }),
      });
      return;
    }
    case 'GET /sim/throughput': {
      const windowMs = Number(url.searchParams.get('windowMs') ?? '60000');
      const unit = url.searchParams.get('unit') ?? 'message';
      const from = url.searchParams.get('from') ?? undefined;
      if (!Number.isInteger(windowMs) || windowMs < 1) {
        json(res, 400, { error: 'windowMs must be a positive integer' });
        return;
      }
      if (unit !== 'message' && unit !== 'part') {
        json(res, 400, { error: 'unit must be message or part' });
        return;
      }
      json(res, 200, {
        data: carrier.throughput({ windowMs, unit, ...(from === undefined ? {} : { from }) }),
      });
      return;
    }
    case 'GET /sim/caps':
      json(res, 200, { data: carrier.listCaps() });
      return;
    case 'PUT /sim/caps': {
      const body = parseJson(await readBody(req));
      const parsed = body.ok
        ? parseSendCaps(body.value)
        : { ok: false as const, reason: 'invalid JSON' };
      if (!parsed.ok) {
        json(res, 400, { error: parsed.reason });
        return;
      }
      carrier.setCaps(parsed.caps);
      json(res, 200, { data: carrier.listCaps() });
      return;
    }
    case 'DELETE /sim/caps':
      carrier.resetCaps();
      res.writeHead(204).end();
      return;
    case 'GET /sim/stats':
      json(res, 200, { webhooks: carrier.webhookStats() });
      return;
    case 'POST /sim/inbound': {
      const body = parseJson(await readBody(req));
      const outcome = body.ok
        ? carrier.injectInbound(body.value)
        : { ok: false as const, reason: 'invalid JSON' };
      if (outcome.ok) json(res, 202, { id: outcome.id });
      else json(res, 400, { error: outcome.reason });
      return;
    }
    case 'GET /sim/faults':
      json(res, 200, { data: carrier.listFaults() });
      return;
    case 'POST /sim/faults': {
      const body = parseJson(await readBody(req));
      const parsed = body.ok
        ? parseFaultRule(body.value)
        : { ok: false as const, reason: 'invalid JSON' };
      if (!parsed.ok) {
        json(res, 400, { error: parsed.reason });
        return;
      }
      carrier.armFault(parsed.rule);
      json(res, 201, { data: carrier.listFaults() });
      return;
    }
    case 'DELETE /sim/faults':
      carrier.clearFaults();
      res.writeHead(204).end();
      return;
    case 'POST /sim/trust/decisions': {
      const body = parseJson(await readBody(req));
      const parsed = body.ok
        ? parseTrustDecision(body.value)
        : { ok: false as const, reason: 'invalid JSON' };
      if (parsed.ok) reply(res, trust.force(parsed.decision));
      else json(res, 400, { error: parsed.reason });
      return;
    }
    case 'POST /sim/trust/holds': {
      const body = parseJson(await readBody(req));
      const parsed = body.ok
        ? parseTrustHold(body.value)
        : { ok: false as const, reason: 'invalid JSON' };
      if (parsed.ok) reply(res, trust.hold(parsed.phoneNumber));
      else json(res, 400, { error: parsed.reason });
      return;
    }
    case 'GET /sim/trust/holds':
      reply(res, trust.listHolds());
      return;
    case 'DELETE /sim/trust/holds':
      reply(res, trust.clearHolds());
      return;
    case 'POST /sim/reset':
      carrier.reset();
      trust.reset();
      res.writeHead(204).end();
      return;
    default:
      telnyxError(res, telnyxErrorResponse('resourceNotFound'));
  }
}

function handle(carrier: SimulatedCarrier, trust: TrustRegistry, settings: CarrierSimSettings) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    route(carrier, trust, settings, req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof BodyTooLarge) {
        telnyxError(res, telnyxErrorResponse('badRequest', { detail: 'The body is too large.' }));
        return;
      }
      telnyxError(res, telnyxErrorResponse('unexpectedError'));
    });
  };
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

export async function startCarrierSim(options: CarrierSimOptions = {}): Promise<RunningCarrierSim> {
  const { now, ...overrides } = options;
  const settings: CarrierSimSettings = { ...defaultCarrierSimSettings, ...overrides };
  const signer =
    settings.privateKey === undefined
      ? WebhookSigner.generate()
      : WebhookSigner.fromBase64(settings.privateKey);
  const carrier = new SimulatedCarrier(settings, signer, now);
  const clock = now ?? (() => new Date());
  const trustWebhooks = new WebhookDispatcher(
    signer,
    {
      attemptsPerUrl: settings.webhookAttemptsPerUrl,
      retryBaseDelayMs: settings.webhookRetryBaseDelayMs,
      timeoutMs: settings.webhookTimeoutMs,
      concurrency: settings.webhookConcurrency,
    },
    clock,
  );
  const trust = new TrustRegistry(
    {
      reviewDelayMs: settings.trustReviewDelayMs,
      webhookUrl: settings.webhookUrl,
      numbers: new Set(settings.numbers),
      acceptAnyNumber: settings.acceptAnyFrom,
    },
    trustWebhooks,
    clock,
  );

  const lookups = new SimulatedNumberLookups(clock);
  const server = createServer(
    { keepAliveTimeout: 65_000 },
    withNumberLookups(lookups, handle(carrier, trust, settings)),
  );
  const address = await listen(server, settings.port, settings.host);
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${hostForUrl}:${address.port}`,
    port: address.port,
    publicKey: signer.publicKey,
    close: async () => {
      carrier.close();
      trust.reset();
      trustWebhooks.close();
      const closed = new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      // Held (timeout fault) and idle keep-alive sockets would otherwise keep close() waiting.
      server.closeAllConnections();
      await closed;
    },
  };
}
