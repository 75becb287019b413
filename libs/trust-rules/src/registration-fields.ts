import {
  ENTITY_TYPES,
  STOCK_EXCHANGES,
  VERTICALS,
  isCampaignUsecase,
  type CampaignUsecase,
  type EntityType,
  type FieldViolation,
  type StockExchange,
  type Vertical,
} from './vocabulary.js';

/**
 * Registration field rules (issue 12 §5): every problem of a brand or campaign body at once, each
 * as `{field, message}`, before anything is recorded or sent to the carrier. Required fields per
 * entity type follow the telnyx SDK's `BrandCreateParams` comments and TCR: a legal company name
 * and an EIN for every entity but a sole proprietor (who has no EIN and must not give one), a
 * stock symbol, exchange and business contact e-mail for a public company, and a first name, last
 * name and mobile phone (where Telnyx sends the OTP) for a sole proprietor.
 */

export interface Brand {
  entityType: EntityType;
  displayName: string;
  companyName?: string;
  /** `XX-XXXXXXX` for a US brand (nine digits in, the hyphen filled in), else as given. */
  ein?: string;
  phone: string;
  street: string;
  city: string;
  state: string;
  postalCode: string;
  country: string;
  email: string;
  website?: string;
  vertical: Vertical;
  stockSymbol?: string;
  stockExchange?: StockExchange;
  businessContactEmail?: string;
  firstName?: string;
  lastName?: string;
  mobilePhone?: string;
}

export type ParsedBrand = { ok: true; brand: Brand } | { ok: false; errors: FieldViolation[] };

export interface Campaign {
  brandId: string;
  usecase: CampaignUsecase;
  description: string;
  messageFlow: string;
  sampleMessages: string[];
  helpMessage: string;
  optinMessage?: string;
  optoutMessage: string;
  /** Upper case, in the order given; `HELP` / `STOP` when not given. */
  helpKeywords: string[];
  optinKeywords: string[];
  optoutKeywords: string[];
  embeddedLink: boolean;
  embeddedPhone: boolean;
  numberPool: boolean;
  ageGated: boolean;
  directLending: boolean;
}

export type ParsedCampaign =
  { ok: true; campaign: Campaign } | { ok: false; errors: FieldViolation[] };

/** What the caller knows about the campaign's brand; each rule needing it is skipped without it. */
export interface CampaignContext {
  brandEntityType?: EntityType;
  /** Campaigns the brand already has (not counting this one), for the sole proprietor's one. */
  brandCampaignCount?: number;
}

/** Lengths from TCR's campaign and brand forms. */
export const REGISTRATION_LIMITS = {
  nameMaxLength: 255,
  emailMaxLength: 100,
  websiteMaxLength: 100,
  descriptionMinLength: 40,
  descriptionMaxLength: 4096,
  messageFlowMinLength: 40,
  messageFlowMaxLength: 2048,
  minSamples: 1,
  maxSamples: 5,
  sampleMaxLength: 1024,
  replyMessageMaxLength: 320,
  keywordMaxLength: 15,
  keywordsMaxLength: 255,
} as const;

const BRAND_FIELDS = [
  'entityType',
  'displayName',
  'companyName',
  'ein',
  'phone',
  'street',
  'city',
  'state',
  'postalCode',
  'country',
  'email',
  'website',
  'vertical',
  'stockSymbol',
  'stockExchange',
  'businessContactEmail',
  'firstName',
  'lastName',
  'mobilePhone',
] as const;

const CAMPAIGN_FIELDS = [
  'brandId',
  'usecase',
  'description',
  'messageFlow',
  'sampleMessages',
  'helpMessage',
  'optinMessage',
  'optoutMessage',
  'helpKeywords',
  'optinKeywords',
  'optoutKeywords',
  'embeddedLink',
  'embeddedPhone',
  'numberPool',
  'ageGated',
  'directLending',
] as const;

const EIN = /^(\d{2})-?(\d{7})$/u;
const E164 = /^\+[1-9]\d{6,14}$/u;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;
const COUNTRY = /^[A-Z]{2}$/u;
const US_STATE = /^[A-Z]{2}$/u;
const US_POSTAL_CODE = /^\d{5}(?:-\d{4})?$/u;
const KEYWORD = /^[A-Z0-9]+$/u;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const describe = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return typeof value;
};

/** `XX-XXXXXXX` when `value` is nine digits with or without the hyphen, else `null`. */
export function normaliseEin(value: string): string | null {
  const match = EIN.exec(value.trim());
  return match ? `${match[1]}-${match[2]}` : null;
}

/** Reads a body's fields one by one, collecting every violation. */
class FieldReader {
  readonly errors: FieldViolation[] = [];

  constructor(
    readonly body: Record<string, unknown>,
    known: readonly string[],
  ) {
    for (const key of Object.keys(body)) {
      if (!known.includes(key)) this.fail(key, 'is not a known field');
    }
  }

  fail(field: string, message: string): void {
    this.errors.push({ field, message });
  }

  has(field: string): boolean {
    return this.body[field] !== undefined && this.body[field] !== null;
  }

  /** A trimmed non-blank string of at most `max` characters, or undefined (reported when required). */
  text(field: string, required: boolean, max: number, min = 1): string | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) {
      if (required) this.fail(field, 'is required');
      return undefined;
    }
    if (typeof value !== 'string') {
      this.fail(field, `must be a string (got ${describe(value)})`);
      return undefined;
    }
    const trimmed = value.trim();
    if (trimmed === '') {
      if (required) this.fail(field, 'must not be blank');
      else this.fail(field, 'must not be blank (leave it out instead)');
      return undefined;
    }
    if (trimmed.length < min) {
      this.fail(field, `must be at least ${min} characters (got ${trimmed.length})`);
      return undefined;
    }
    if (trimmed.length > max) {
      this.fail(field, `must be at most ${max} characters (got ${trimmed.length})`);
      return undefined;
    }
    return trimmed;
  }

  oneOf<T extends string>(field: string, values: readonly T[], required: boolean): T | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) {
      if (required) this.fail(field, 'is required');
      return undefined;
    }
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
      this.fail(field, `must be one of ${values.join(', ')} (got ${describe(value)})`);
      return undefined;
    }
    return value as T;
  }

  matching(
    field: string,
    pattern: RegExp,
    required: boolean,
    max: number,
    what: string,
  ): string | undefined {
    const value = this.text(field, required, max);
    if (value === undefined) return undefined;
    if (!pattern.test(value)) {
      this.fail(field, `must be ${what} (got ${describe(value)})`);
      return undefined;
    }
    return value;
  }

  flag(field: string): boolean {
    const value = this.body[field];
    if (value === undefined || value === null) return false;
    if (typeof value !== 'boolean') {
      this.fail(field, `must be true or false (got ${describe(value)})`);
      return false;
    }
    return value;
  }
}

/** The brand body of `POST /v1/trust/brands`, checked field by field for its entity type. */
export function parseBrand(input: unknown): ParsedBrand {
  if (!isObject(input)) return { ok: false, errors: [{ field: '', message: 'must be an object' }] };
  const r = new FieldReader(input, BRAND_FIELDS);
  const L = REGISTRATION_LIMITS;

  const entityType = r.oneOf('entityType', ENTITY_TYPES, true);
  const soleProprietor = entityType === 'SOLE_PROPRIETOR';
  const publicCompany = entityType === 'PUBLIC_PROFIT';
  // Without a valid entity type, only the rules every entity shares are checked.
  const organisation = entityType !== undefined && !soleProprietor;

  const displayName = r.text('displayName', true, L.nameMaxLength);
  const companyName = r.text('companyName', organisation, L.nameMaxLength);
  // Pattern-checked fields read up to 100 characters, so a long value gets the format's message.
  const country = r.matching(
    'country',
    COUNTRY,
    true,
    100,
    'an ISO 3166-1 alpha-2 code such as US',
  );
  const us = country === 'US';

  let ein: string | undefined;
  if (soleProprietor) {
    if (r.has('ein'))
      r.fail('ein', 'must not be given for a SOLE_PROPRIETOR brand (it has no EIN)');
  } else {
    const raw = r.text('ein', organisation, 21);
    if (raw !== undefined) {
      if (us || country === undefined) {
        const normalised = normaliseEin(raw);
        if (normalised === null) {
          r.fail('ein', `must be 9 digits, written XX-XXXXXXX (got ${describe(raw)})`);
        } else {
          ein = normalised;
        }
      } else {
        ein = raw;
      }
    }
  }

  const phone = r.matching('phone', E164, true, 100, 'an E.164 number such as +15125550100');
  const street = r.text('street', true, 100);
  const city = r.text('city', true, 100);
  const state = us
    ? r.matching('state', US_STATE, true, 100, 'a two-letter US state code such as TX')
    : r.text('state', true, 20);
  const postalCode = us
    ? r.matching('postalCode', US_POSTAL_CODE, true, 100, 'a US ZIP code such as 78701')
    : r.text('postalCode', true, 10);
  const email = r.matching('email', EMAIL, true, L.emailMaxLength, 'an e-mail address');
  const website = r.text('website', false, L.websiteMaxLength);
  if (website !== undefined && !/^https?:\/\/[^\s/]+\.[^\s/]+/iu.test(website)) {
    r.fail('website', `must be an http(s) URL (got ${describe(website)})`);
  }
  const vertical = r.oneOf('vertical', VERTICALS, true);

  const stockSymbol = r.text('stockSymbol', publicCompany, 10);
  const stockExchange = r.oneOf('stockExchange', STOCK_EXCHANGES, publicCompany);
  if (publicCompany && stockExchange === 'NONE') {
    r.fail('stockExchange', 'must name the exchange a PUBLIC_PROFIT brand is listed on (not NONE)');
  }
  const businessContactEmail = r.matching(
    'businessContactEmail',
    EMAIL,
    publicCompany,
    L.emailMaxLength,
    'an e-mail address',
  );
  const firstName = r.text('firstName', soleProprietor, 100);
  const lastName = r.text('lastName', soleProprietor, 100);
  const mobilePhone = r.matching(
    'mobilePhone',
    E164,
    soleProprietor,
    100,
    'an E.164 mobile number such as +15125550100 (the OTP is sent there)',
  );

  if (r.errors.length > 0) return { ok: false, errors: r.errors };
  // Every required field was read without error, so none of these is undefined here.
  const brand: Brand = {
    entityType: entityType!,
    displayName: displayName!,
    phone: phone!,
    street: street!,
    city: city!,
    state: state!,
    postalCode: postalCode!,
    country: country!,
    email: email!,
    vertical: vertical!,
    ...(companyName !== undefined ? { companyName } : {}),
    ...(ein !== undefined ? { ein } : {}),
    ...(website !== undefined ? { website } : {}),
    ...(stockSymbol !== undefined ? { stockSymbol: stockSymbol.toUpperCase() } : {}),
    ...(stockExchange !== undefined ? { stockExchange } : {}),
    ...(businessContactEmail !== undefined ? { businessContactEmail } : {}),
    ...(firstName !== undefined ? { firstName } : {}),
    ...(lastName !== undefined ? { lastName } : {}),
    ...(mobilePhone !== undefined ? { mobilePhone } : {}),
  };
  return { ok: true, brand };
}

/**
 * Keywords as Telnyx takes them (`"HELP,INFO"`) or as an array; upper-cased, letters and digits
 * only, no repeats. `undefined` when absent; `null` when reported.
 */
function readKeywords(r: FieldReader, field: string): string[] | undefined | null {
  const value = r.body[field];
  if (value === undefined || value === null) return undefined;
  let items: unknown[];
  if (typeof value === 'string') items = value.split(',');
  else if (Array.isArray(value)) items = value;
  else {
    r.fail(
      field,
      `must be a comma-separated string or an array of keywords (got ${describe(value)})`,
    );
    return null;
  }
  const keywords: string[] = [];
  let failed = false;
  items.forEach((item, index) => {
    const at = Array.isArray(value) ? `${field}.${index}` : field;
    if (typeof item !== 'string') {
      r.fail(at, `must be a keyword string (got ${describe(item)})`);
      failed = true;
      return;
    }
    const keyword = item.trim().toUpperCase();
    if (!KEYWORD.test(keyword) || keyword.length > REGISTRATION_LIMITS.keywordMaxLength) {
      r.fail(
        at,
        `must be one word of letters and digits, at most ${REGISTRATION_LIMITS.keywordMaxLength} (got ${describe(item)})`,
      );
      failed = true;
      return;
    }
    if (keywords.includes(keyword)) {
      r.fail(at, `repeats ${keyword}`);
      failed = true;
      return;
    }
    keywords.push(keyword);
  });
  if (failed) return null;
  if (keywords.length === 0) {
    r.fail(field, 'must list at least one keyword (leave it out for the default)');
    return null;
  }
  if (keywords.join(',').length > REGISTRATION_LIMITS.keywordsMaxLength) {
    r.fail(field, `must be at most ${REGISTRATION_LIMITS.keywordsMaxLength} characters in all`);
    return null;
  }
  return keywords;
}

/** The campaign body of `POST /v1/trust/campaigns` (and of the lint, which takes the same body). */
export function parseCampaign(input: unknown, context: CampaignContext = {}): ParsedCampaign {
  if (!isObject(input)) return { ok: false, errors: [{ field: '', message: 'must be an object' }] };
  const r = new FieldReader(input, CAMPAIGN_FIELDS);
  const L = REGISTRATION_LIMITS;

  const brandId = r.text('brandId', true, 100);
  if (
    brandId !== undefined &&
    context.brandEntityType === 'SOLE_PROPRIETOR' &&
    (context.brandCampaignCount ?? 0) > 0
  ) {
    r.fail('brandId', 'a SOLE_PROPRIETOR brand may have only one campaign, and this one has one');
  }

  let usecase: CampaignUsecase | undefined;
  const rawUsecase = r.body.usecase;
  if (rawUsecase === undefined || rawUsecase === null) r.fail('usecase', 'is required');
  else if (!isCampaignUsecase(rawUsecase)) {
    r.fail('usecase', `is not a known use case (got ${describe(rawUsecase)})`);
  } else {
    usecase = rawUsecase;
    if (context.brandEntityType === 'SOLE_PROPRIETOR' && usecase !== 'SOLE_PROPRIETOR') {
      r.fail('usecase', `must be SOLE_PROPRIETOR for a SOLE_PROPRIETOR brand (got ${usecase})`);
    }
    if (
      context.brandEntityType !== undefined &&
      context.brandEntityType !== 'SOLE_PROPRIETOR' &&
      usecase === 'SOLE_PROPRIETOR'
    ) {
      r.fail(
        'usecase',
        `is only for SOLE_PROPRIETOR brands (this one is ${context.brandEntityType})`,
      );
    }
  }

  const description = r.text('description', true, L.descriptionMaxLength, L.descriptionMinLength);
  const messageFlow = r.text('messageFlow', true, L.messageFlowMaxLength, L.messageFlowMinLength);

  let sampleMessages: string[] | undefined;
  const samples = r.body.sampleMessages;
  if (samples === undefined || samples === null) r.fail('sampleMessages', 'is required');
  else if (!Array.isArray(samples)) {
    r.fail(
      'sampleMessages',
      `must be an array of ${L.minSamples} to ${L.maxSamples} messages (got ${describe(samples)})`,
    );
  } else if (samples.length < L.minSamples || samples.length > L.maxSamples) {
    r.fail(
      'sampleMessages',
      `must hold ${L.minSamples} to ${L.maxSamples} messages (got ${samples.length})`,
    );
  } else {
    const read: string[] = [];
    samples.forEach((sample: unknown, index) => {
      const field = `sampleMessages.${index}`;
      if (typeof sample !== 'string') r.fail(field, `must be a string (got ${describe(sample)})`);
      else if (sample.trim() === '') r.fail(field, 'must not be blank');
      else if (sample.length > L.sampleMaxLength) {
        r.fail(field, `must be at most ${L.sampleMaxLength} characters (got ${sample.length})`);
      } else read.push(sample);
    });
    if (read.length === samples.length) sampleMessages = read;
  }

  const helpMessage = r.text('helpMessage', true, L.replyMessageMaxLength);
  const optoutMessage = r.text('optoutMessage', true, L.replyMessageMaxLength);
  const optinKeywords = readKeywords(r, 'optinKeywords');
  const optinMessage = r.text('optinMessage', optinKeywords != null, L.replyMessageMaxLength);
  if (optinMessage !== undefined && optinKeywords === undefined) {
    r.fail('optinKeywords', 'is required with optinMessage (the keywords that send it)');
  }
  const helpKeywords = readKeywords(r, 'helpKeywords');
  if (helpKeywords != null && !helpKeywords.includes('HELP')) {
    r.fail('helpKeywords', 'must include HELP (CTIA)');
  }
  const optoutKeywords = readKeywords(r, 'optoutKeywords');
  if (optoutKeywords != null && !optoutKeywords.includes('STOP')) {
    r.fail('optoutKeywords', 'must include STOP (CTIA)');
  }
  const lists = [
    ['helpKeywords', helpKeywords ?? ['HELP']],
    ['optinKeywords', optinKeywords ?? []],
    ['optoutKeywords', optoutKeywords ?? ['STOP']],
  ] as const;
  for (const [i, [field, keywords]] of lists.entries()) {
    for (const [otherField, other] of lists.slice(0, i)) {
      const shared = keywords.filter((k) => other.includes(k));
      if (shared.length > 0) r.fail(field, `shares ${shared.join(', ')} with ${otherField}`);
    }
  }

  const embeddedLink = r.flag('embeddedLink');
  const embeddedPhone = r.flag('embeddedPhone');
  const numberPool = r.flag('numberPool');
  const ageGated = r.flag('ageGated');
  const directLending = r.flag('directLending');

  if (r.errors.length > 0) return { ok: false, errors: r.errors };
  const campaign: Campaign = {
    brandId: brandId!,
    usecase: usecase!,
    description: description!,
    messageFlow: messageFlow!,
    sampleMessages: sampleMessages!,
    helpMessage: helpMessage!,
    ...(optinMessage !== undefined ? { optinMessage } : {}),
    optoutMessage: optoutMessage!,
    helpKeywords: helpKeywords ?? ['HELP'],
    optinKeywords: optinKeywords ?? [],
    optoutKeywords: optoutKeywords ?? ['STOP'],
    embeddedLink,
    embeddedPhone,
    numberPool,
    ageGated,
    directLending,
  };
  return { ok: true, campaign };
}
