/**
 * The registration vocabulary issue 12 borrows from Telnyx (field names and enum values as
 * Telnyx spells them, so a partner who knows one knows the other).
 *
 * Sources: `EntityType`, `StockExchange` and `Vertical` are the unions in the telnyx SDK
 * (node_modules/telnyx 7.24.0, resources/messaging-10dlc/brand/brand.d.ts). The SDK types a
 * campaign's `usecase` as a plain string ("Use `/10dlc/enum/usecase` operation to retrieve
 * usecases", campaign-builder.d.ts), so `CAMPAIGN_USECASES` is The Campaign Registry's enum as
 * Telnyx answers it (its 10032 "invalid usecase" error lists these values), cross-checked with
 * Bandwidth's CLI enum (`enumCampaignUsecases` in its tendlc.yml). `LOW_VOLUME` is TCR's
 * "low volume mixed".
 */

export const ENTITY_TYPES = [
  'PRIVATE_PROFIT',
  'PUBLIC_PROFIT',
  'NON_PROFIT',
  'GOVERNMENT',
  'SOLE_PROPRIETOR',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export const STOCK_EXCHANGES = [
  'NONE',
  'NASDAQ',
  'NYSE',
  'AMEX',
  'AMX',
  'ASX',
  'B3',
  'BME',
  'BSE',
  'FRA',
  'ICEX',
  'JPX',
  'JSE',
  'KRX',
  'LON',
  'NSE',
  'OMX',
  'SEHK',
  'SSE',
  'STO',
  'SWX',
  'SZSE',
  'TSX',
  'TWSE',
  'VSE',
] as const;
export type StockExchange = (typeof STOCK_EXCHANGES)[number];

export const VERTICALS = [
  'AGRICULTURE',
  'COMMUNICATION',
  'CONSTRUCTION',
  'EDUCATION',
  'ENERGY',
  'ENTERTAINMENT',
  'FINANCIAL',
  'GAMBLING',
  'GOVERNMENT',
  'HEALTHCARE',
  'HOSPITALITY',
  'HUMAN_RESOURCES',
  'INSURANCE',
  'LEGAL',
  'MANUFACTURING',
  'NGO',
  'POLITICAL',
  'POSTAL',
  'PROFESSIONAL',
  'REAL_ESTATE',
  'RETAIL',
  'TECHNOLOGY',
  'TRANSPORTATION',
] as const;
export type Vertical = (typeof VERTICALS)[number];

/** TCR's standard use cases first, then the special ones (which need carrier pre-approval). */
export const CAMPAIGN_USECASES = [
  '2FA',
  'ACCOUNT_NOTIFICATION',
  'CUSTOMER_CARE',
  'DELIVERY_NOTIFICATION',
  'FRAUD_ALERT',
  'HIGHER_EDUCATION',
  'LOW_VOLUME',
  'MARKETING',
  'MIXED',
  'POLLING_VOTING',
  'PUBLIC_SERVICE_ANNOUNCEMENT',
  'SECURITY_ALERT',
  'AGENTS_FRANCHISES',
  'CARRIER_EXEMPT',
  'CHARITY',
  'CONVERSATIONAL',
  'EMERGENCY',
  'K12_EDUCATION',
  'M2M',
  'POLITICAL',
  'PROXY',
  'PUBLIC_SAFETY_RESTRICTED',
  'SOCIAL',
  'SOLE_PROPRIETOR',
  'SWEEPSTAKE',
  'TRIAL',
  'UCAAS_HIGH',
  'UCAAS_LOW',
] as const;
export type CampaignUsecase = (typeof CAMPAIGN_USECASES)[number];

export const isCampaignUsecase = (value: unknown): value is CampaignUsecase =>
  typeof value === 'string' && (CAMPAIGN_USECASES as readonly string[]).includes(value);

export const isEntityType = (value: unknown): value is EntityType =>
  typeof value === 'string' && (ENTITY_TYPES as readonly string[]).includes(value);

/**
 * Use cases whose messages must not promote anything: carriers suspend a 2FA or notification
 * campaign caught sending marketing (issue 12 §1, and the messaging gate's
 * `campaign_use_case_mismatch`).
 */
export const TRANSACTIONAL_USECASES: readonly CampaignUsecase[] = [
  '2FA',
  'ACCOUNT_NOTIFICATION',
  'CUSTOMER_CARE',
  'DELIVERY_NOTIFICATION',
  'FRAUD_ALERT',
  'SECURITY_ALERT',
];

/** One violation of a registration field rule: the gateway's problem+json `errors` item. */
export interface FieldViolation {
  field: string;
  message: string;
}
