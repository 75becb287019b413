import type { RegistrationFieldError, TollFreeVerificationDetails } from '@textplane/contracts';

/**
 * The field rules of a toll-free verification request (Telnyx's
 * `messagingTollfree.verification.requests` body in textplane's shape), pure: every field that
 * is wrong is named, and an accepted body comes back trimmed. The tenant's ownership of the
 * numbers is the decider's business (it needs a lookup); the shape of each number is here.
 */

/** Telnyx's `Volume` enum: messages a month. */
export const TOLL_FREE_MESSAGE_VOLUMES = [
  '10',
  '100',
  '1,000',
  '10,000',
  '100,000',
  '250,000',
  '500,000',
  '750,000',
  '1,000,000',
  '5,000,000',
  '10,000,000+',
] as const;

/** Telnyx's `UseCaseCategories` (telnyx SDK 7.24.0). */
export const TOLL_FREE_USE_CASES = [
  '2FA',
  'App Notifications',
  'Appointments',
  'Auctions',
  'Auto Repair Services',
  'Bank Transfers',
  'Billing',
  'Booking Confirmations',
  'Business Updates',
  'COVID-19 Alerts',
  'Career Training',
  'Chatbot',
  'Conversational / Alerts',
  'Courier Services & Deliveries',
  'Emergency Alerts',
  'Events & Planning',
  'Financial Services',
  'Fraud Alerts',
  'Fundraising',
  'General Marketing',
  'General School Updates',
  'HR / Staffing',
  'Healthcare Alerts',
  'Housing Community Updates',
  'Insurance Services',
  'Job Dispatch',
  'Legal Services',
  'Mixed',
  'Motivational Reminders',
  'Notary Notifications',
  'Order Notifications',
  'Political',
  'Public Works',
  'Real Estate Services',
  'Religious Services',
  'Repair and Diagnostics Alerts',
  'Rewards Program',
  'Surveys',
  'System Alerts',
  'Voting Reminders',
  'Waitlist Alerts',
  'Webinar Reminders',
  'Workshop Alerts',
] as const;

export const TOLL_FREE_ENTITY_TYPES = [
  'SOLE_PROPRIETOR',
  'PRIVATE_PROFIT',
  'PUBLIC_PROFIT',
  'NON_PROFIT',
  'GOVERNMENT',
] as const;

export const TOLL_FREE_LIMITS = {
  textMaxLength: 500,
  longTextMaxLength: 2_000,
  maxPhoneNumbers: 50,
  maxImageUrls: 10,
} as const;

/** NANP toll-free area codes (FCC): 800, 833, 844, 855, 866, 877, 888. */
const TOLL_FREE = /^\+18(00|33|44|55|66|77|88)\d{7}$/u;
const E164 = /^\+[1-9]\d{1,14}$/u;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;
const COUNTRY = /^[A-Za-z]{2}$/u;

export function isTollFreeNumber(phoneNumber: string): boolean {
  return TOLL_FREE.test(phoneNumber);
}

export type ParsedTollFreeVerification =
  | { ok: true; verification: TollFreeVerificationDetails }
  | { ok: false; errors: RegistrationFieldError[] };

const REQUIRED_TEXT = [
  'businessName',
  'businessAddr1',
  'businessCity',
  'businessState',
  'businessZip',
  'businessContactFirstName',
  'businessContactLastName',
  'useCaseSummary',
  'productionMessageContent',
  'optInWorkflow',
] as const;
const LONG_TEXT = new Set<string>(['useCaseSummary', 'optInWorkflow', 'additionalInformation']);
const OPTIONAL_TEXT = [
  'businessAddr2',
  'additionalInformation',
  'doingBusinessAs',
  'businessRegistrationNumber',
  'businessRegistrationType',
  'helpMessageResponse',
  'optInConfirmationResponse',
  'optInKeywords',
] as const;

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol, hostname } = new URL(value);
  return (protocol === 'https:' || protocol === 'http:') && hostname.includes('.');
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

export function parseTollFreeVerification(input: unknown): ParsedTollFreeVerification {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: '', message: 'must be a JSON object' }] };
  }
  const body = input as Record<string, unknown>;
  const errors: RegistrationFieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });
  const out: Record<string, unknown> = {};

  const textOf = (field: string, required: boolean): string | undefined => {
    const value = body[field];
    if (value === undefined || value === null || value === '') {
      if (required) fail(field, 'is required');
      return undefined;
    }
    if (typeof value !== 'string') {
      fail(field, `must be a string (got ${describe(value)})`);
      return undefined;
    }
    const trimmed = value.trim();
    if (trimmed === '') {
      if (required) fail(field, 'is required');
      return undefined;
    }
    const max = LONG_TEXT.has(field)
      ? TOLL_FREE_LIMITS.longTextMaxLength
      : TOLL_FREE_LIMITS.textMaxLength;
    if (trimmed.length > max) {
      fail(field, `must be at most ${max} characters (got ${trimmed.length})`);
      return undefined;
    }
    return trimmed;
  };

  for (const field of REQUIRED_TEXT) out[field] = textOf(field, true);
  for (const field of OPTIONAL_TEXT) out[field] = textOf(field, false);

  const email = textOf('businessContactEmail', true);
  if (email !== undefined && !EMAIL.test(email)) {
    fail('businessContactEmail', `must be an e-mail address (got ${describe(email)})`);
  } else out['businessContactEmail'] = email;

  const phone = textOf('businessContactPhone', true);
  if (phone !== undefined && !E164.test(phone)) {
    fail(
      'businessContactPhone',
      `must be an E.164 number such as +15125550100 (got ${describe(phone)})`,
    );
  } else out['businessContactPhone'] = phone;

  for (const [field, required] of [
    ['corporateWebsite', true],
    ['privacyPolicyURL', false],
    ['termsAndConditionURL', false],
  ] as const) {
    const url = textOf(field, required);
    if (url !== undefined && !isHttpUrl(url)) {
      fail(field, `must be an http(s) URL (got ${describe(url)})`);
    } else out[field] = url;
  }

  const volume = textOf('messageVolume', true);
  if (volume !== undefined && !(TOLL_FREE_MESSAGE_VOLUMES as readonly string[]).includes(volume)) {
    fail(
      'messageVolume',
      `must be one of ${TOLL_FREE_MESSAGE_VOLUMES.join(' | ')} (got ${describe(volume)})`,
    );
  } else out['messageVolume'] = volume;

  const useCase = textOf('useCase', true);
  if (useCase !== undefined && !(TOLL_FREE_USE_CASES as readonly string[]).includes(useCase)) {
    fail(
      'useCase',
      `must be one of Telnyx's toll-free use cases, e.g. 2FA, Appointments, General Marketing (got ${describe(useCase)})`,
    );
  } else out['useCase'] = useCase;

  const entityType = textOf('entityType', false);
  if (
    entityType !== undefined &&
    !(TOLL_FREE_ENTITY_TYPES as readonly string[]).includes(entityType)
  ) {
    fail(
      'entityType',
      `must be one of ${TOLL_FREE_ENTITY_TYPES.join(' | ')} (got ${describe(entityType)})`,
    );
  } else out['entityType'] = entityType;

  const country = textOf('businessRegistrationCountry', false);
  if (country !== undefined && !COUNTRY.test(country)) {
    fail(
      'businessRegistrationCountry',
      `must be an ISO 3166-1 alpha-2 code such as US (got ${describe(country)})`,
    );
  } else out['businessRegistrationCountry'] = country?.toUpperCase();

  const ageGated = body['ageGatedContent'];
  if (ageGated !== undefined && typeof ageGated !== 'boolean') {
    fail('ageGatedContent', `must be true or false (got ${describe(ageGated)})`);
  } else out['ageGatedContent'] = ageGated;

  const numbers = body['phoneNumbers'];
  if (!Array.isArray(numbers) || numbers.length === 0) {
    fail('phoneNumbers', 'must list at least one toll-free number');
  } else if (numbers.length > TOLL_FREE_LIMITS.maxPhoneNumbers) {
    fail(
      'phoneNumbers',
      `must list at most ${TOLL_FREE_LIMITS.maxPhoneNumbers} numbers (got ${numbers.length})`,
    );
  } else {
    const seen = new Set<string>();
    numbers.forEach((n: unknown, i) => {
      const field = `phoneNumbers[${i}]`;
      if (typeof n !== 'string' || !E164.test(n))
        fail(field, `must be an E.164 number (got ${describe(n)})`);
      else if (!TOLL_FREE.test(n))
        fail(
          field,
          `${n} is not a toll-free number (8XX); a long code registers through a 10DLC campaign`,
        );
      else if (seen.has(n)) fail(field, `${n} is listed twice`);
      else seen.add(n);
    });
    out['phoneNumbers'] = [...seen];
  }

  const images = body['optInWorkflowImageURLs'];
  if (images === undefined) {
    out['optInWorkflowImageURLs'] = [];
  } else if (!Array.isArray(images)) {
    fail('optInWorkflowImageURLs', 'must be an array of http(s) URLs');
  } else if (images.length > TOLL_FREE_LIMITS.maxImageUrls) {
    fail(
      'optInWorkflowImageURLs',
      `must list at most ${TOLL_FREE_LIMITS.maxImageUrls} URLs (got ${images.length})`,
    );
  } else {
    images.forEach((u: unknown, i) => {
      if (typeof u !== 'string' || !isHttpUrl(u.trim())) {
        fail(`optInWorkflowImageURLs[${i}]`, `must be an http(s) URL (got ${describe(u)})`);
      }
    });
    out['optInWorkflowImageURLs'] = images.map((u) => String(u).trim());
  }

  const known = new Set<string>([
    ...REQUIRED_TEXT,
    ...OPTIONAL_TEXT,
    'businessContactEmail',
    'businessContactPhone',
    'corporateWebsite',
    'privacyPolicyURL',
    'termsAndConditionURL',
    'messageVolume',
    'useCase',
    'entityType',
    'businessRegistrationCountry',
    'ageGatedContent',
    'phoneNumbers',
    'optInWorkflowImageURLs',
  ]);
  for (const field of Object.keys(body))
    if (!known.has(field)) fail(field, 'is not a field of a toll-free verification');

  if (errors.length > 0) return { ok: false, errors };
  const verification = Object.fromEntries(
    Object.entries(out).filter(([, v]) => v !== undefined),
  ) as unknown as TollFreeVerificationDetails;
  return { ok: true, verification };
}
