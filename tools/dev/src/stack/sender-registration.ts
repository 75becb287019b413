import type { TenantProfile } from './admin-api.js';

/**
 * Registers a seeded tenant's sender numbers for A2P 10DLC the way a partner does it, through the
 * Trust Center's REST API: a brand, a campaign, then each number assigned to the campaign, each
 * step waiting for the carrier's (the simulator's) review. Messaging sends from a US long code
 * only once its campaign is approved, so `make dev`'s demo tenant and the benchmark's tenant are
 * registered before anything is sent from them.
 *
 * Every POST carries an Idempotency-Key derived from the tenant, so seeding a database seeded
 * before finds the same brand and campaign again instead of registering a second pair.
 */

export class SenderRegistrationError extends Error {
  override readonly name = 'SenderRegistrationError';
}

export interface RegisteredSenders {
  readonly brandId: string;
  readonly campaignId: string;
  readonly numbers: readonly string[];
}

export interface SenderRegistrationOptions {
  /** How long to wait for each review. Default 60 s. */
  readonly timeoutMs?: number;
  /** Between reads of a resource under review. Default 100 ms. */
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
}

interface TrustResource {
  id: string;
  status: string;
  carrierStatus: string | null;
  reasons?: Array<{ description?: string; suggestion?: string }>;
  errors?: Array<{ field: string; message: string }>;
}

interface CampaignResource extends TrustResource {
  brandId: string;
  carrierCampaignId: string | null;
  numbers?: Array<{ phoneNumber: string; status: string }>;
}

/** Every number of `numbers` is approved on the campaign, and the campaign too. */
function carries(campaign: CampaignResource, numbers: readonly string[]): boolean {
  return (
    campaign.status === 'approved' &&
    numbers.every((number) =>
      (campaign.numbers ?? []).some((n) => n.phoneNumber === number && n.status === 'approved'),
    )
  );
}

/** The brand every seeded tenant registers: a private company with a well-formed EIN. */
export function seedBrand(tenant: TenantProfile): Record<string, unknown> {
  return {
    entityType: 'PRIVATE_PROFIT',
    displayName: tenant.brandName,
    companyName: `${tenant.brandName} LLC`,
    ein: '12-3456789',
    phone: '+15125550199',
    street: '100 Congress Ave',
    city: 'Austin',
    state: 'TX',
    postalCode: '78701',
    country: 'US',
    email: 'support@example.com',
    website: 'https://www.example.com',
    vertical: 'TECHNOLOGY',
  };
}

/**
 * A mixed-use campaign that passes the campaign lint (and so the simulator's review): samples
 * with the brand name and opt-out language, a help message with contact details, an opt-in flow
 * that says where and how consent is collected.
 */
export function seedCampaign(tenant: TenantProfile, brandId: string): Record<string, unknown> {
  const brand = tenant.brandName;
  return {
    brandId,
    usecase: 'MIXED',
    description: `${brand} sends appointment reminders, account notices and occasional offers to customers who opted in.`,
    messageFlow:
      `Customers opt in on the ${brand} website sign-up form at https://www.example.com/sms by ` +
      'ticking an unchecked box that reads "Text me reminders and offers; msg & data rates may apply; reply STOP to opt out".',
    sampleMessages: [
      `${brand}: your appointment is tomorrow at 10:00. Reply STOP to opt out.`,
      `${brand}: 20% off your next visit this week. Reply STOP to opt out.`,
    ],
    helpMessage: `${brand}: for help email support@example.com or call +15125550199. Msg & data rates may apply. Reply STOP to opt out.`,
    optinMessage: `${brand}: you are subscribed to reminders and offers. Msg frequency varies. Msg & data rates may apply. Reply HELP for help, STOP to opt out.`,
    optoutMessage: `${brand}: you are unsubscribed and will receive no more messages.`,
    helpKeywords: ['HELP', 'INFO'],
    optinKeywords: ['START'],
    optoutKeywords: ['STOP', 'UNSUBSCRIBE'],
    embeddedLink: false,
    embeddedPhone: false,
    numberPool: false,
    ageGated: false,
    directLending: false,
  };
}

export async function registerSenders(
  gatewayUrl: string,
  apiKey: string,
  tenant: TenantProfile,
  options: SenderRegistrationOptions = {},
): Promise<RegisteredSenders> {
  const api = new TrustApi(gatewayUrl, apiKey, options);
  // Seeded before (a database `make dev` used already): nothing to do.
  const approved = await api.get<{ data: CampaignResource[] }>(
    '/v1/trust/campaigns?status=approved&limit=100',
  );
  const registered = approved.data.find((c) => carries(c, tenant.senderNumbers));
  if (registered) {
    return {
      brandId: registered.brandId,
      campaignId: registered.id,
      numbers: [...tenant.senderNumbers],
    };
  }
  const brand = await api.post<TrustResource>(
    '/v1/trust/brands',
    `seed-brand-${tenant.id}`,
    seedBrand(tenant),
  );
  await api.until(`/v1/trust/brands/${brand.id}`, 'the brand', (b) => b.status === 'approved');
  const campaign = await api.post<CampaignResource>(
    '/v1/trust/campaigns',
    `seed-campaign-${tenant.id}`,
    seedCampaign(tenant, brand.id),
  );
  // A number can be assigned once the carrier has taken the campaign (it has the carrier's id).
  await api.until<CampaignResource>(
    `/v1/trust/campaigns/${campaign.id}`,
    'the campaign',
    (c) => c.carrierCampaignId !== null,
  );
  for (const phoneNumber of tenant.senderNumbers) {
    await api.post(
      `/v1/trust/campaigns/${campaign.id}/numbers`,
      `seed-number-${tenant.id}-${phoneNumber}`,
      { phoneNumber },
    );
  }
  await api.until<CampaignResource>(
    `/v1/trust/campaigns/${campaign.id}`,
    'the campaign and its numbers',
    (c) => carries(c, tenant.senderNumbers),
  );
  return { brandId: brand.id, campaignId: campaign.id, numbers: [...tenant.senderNumbers] };
}

/**
 * A toll-free verification request that passes the carrier's (the simulator's) review: opt-in
 * screenshots, an opt-in workflow that says where and how consent is collected, and production
 * content without a public shortener.
 */
export function seedTollFreeVerification(
  brandName: string,
  phoneNumbers: readonly string[],
): Record<string, unknown> {
  return {
    businessName: `${brandName} LLC`,
    corporateWebsite: 'https://www.example.com',
    businessAddr1: '100 Congress Ave',
    businessCity: 'Austin',
    businessState: 'Texas',
    businessZip: '78701',
    businessContactFirstName: 'Ana',
    businessContactLastName: 'Diaz',
    businessContactEmail: 'support@example.com',
    businessContactPhone: '+15125550199',
    messageVolume: '1,000',
    phoneNumbers: [...phoneNumbers],
    useCase: 'Mixed',
    useCaseSummary: `${brandName} texts order, appointment and account notices to customers who opted in.`,
    productionMessageContent: `${brandName}: your order has shipped. Reply STOP to opt out.`,
    optInWorkflow:
      `Customers opt in on the ${brandName} website sign-up form at https://www.example.com/sms by ` +
      'ticking an unchecked box that reads "Text me order and account notices; reply STOP to opt out".',
    optInWorkflowImageURLs: ['https://www.example.com/img/sms-consent.png'],
  };
}

/**
 * Verifies toll-free sender numbers through the Trust Center (messaging sends from a US
 * toll-free number only once its verification is approved), waiting for the carrier's review.
 * The Idempotency-Key is derived from `key`, so a repeat finds the same request.
 */
export async function verifyTollFreeNumbers(
  gatewayUrl: string,
  apiKey: string,
  request: {
    readonly key: string;
    readonly brandName: string;
    readonly phoneNumbers: readonly string[];
  },
  options: SenderRegistrationOptions = {},
): Promise<{ readonly verificationId: string }> {
  const api = new TrustApi(gatewayUrl, apiKey, options);
  const verification = await api.post<TrustResource>(
    '/v1/trust/toll-free-verifications',
    `seed-toll-free-${request.key}`,
    seedTollFreeVerification(request.brandName, request.phoneNumbers),
  );
  await api.until(
    `/v1/trust/toll-free-verifications/${verification.id}`,
    'the toll-free verification',
    (v) => v.status === 'approved',
  );
  return { verificationId: verification.id };
}

class TrustApi {
  private readonly timeoutMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly gatewayUrl: string,
    private readonly apiKey: string,
    private readonly options: SenderRegistrationOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.pollMs = options.pollMs ?? 100;
  }

  async post<T>(path: string, idempotencyKey: string, body: unknown): Promise<T> {
    const answer = await this.request('POST', path, { 'idempotency-key': idempotencyKey }, body);
    if (answer.status !== 200 && answer.status !== 201 && answer.status !== 202) {
      throw new SenderRegistrationError(
        `POST ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`,
      );
    }
    return answer.body as T;
  }

  async get<T>(path: string): Promise<T> {
    const answer = await this.request('GET', path);
    if (answer.status !== 200) {
      throw new SenderRegistrationError(
        `GET ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`,
      );
    }
    return answer.body as T;
  }

  /** Reads `path` until `done` holds; a rejection (or the timeout) fails with what it says. */
  async until<T extends TrustResource>(
    path: string,
    what: string,
    done: (resource: T) => boolean,
  ): Promise<T> {
    const deadline = Date.now() + this.timeoutMs;
    let last: T | undefined;
    for (;;) {
      this.options.signal?.throwIfAborted();
      last = await this.get<T>(path);
      if (done(last)) return last;
      if (last.status === 'rejected' || last.status === 'suspended' || last.status === 'expired') {
        throw new SenderRegistrationError(
          `${what} was ${last.status}: ${JSON.stringify({ reasons: last.reasons, errors: last.errors })}`,
        );
      }
      if (Date.now() > deadline) {
        throw new SenderRegistrationError(
          `${what} is not done after ${this.timeoutMs} ms: ${JSON.stringify(last)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }

  private async request(
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string> = {},
    body?: unknown,
  ): Promise<{ status: number; body: unknown }> {
    const response = await fetch(new URL(path, this.gatewayUrl), {
      method,
      headers: {
        authorization: `Bearer ${this.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: kept as text for the error message.
    }
    return { status: response.status, body: parsed };
  }
}
