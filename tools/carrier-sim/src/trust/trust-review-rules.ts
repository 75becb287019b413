import { lintCampaign } from '@textplane/trust-rules';

/**
 * The simulator's 10DLC review: deterministic, documented rules (README "10DLC") standing in
 * for The Campaign Registry's and the carriers' judgement, so tests can make a rejection happen.
 *
 * - A brand whose EIN is all zeros is rejected (`REGISTRATION_FAILED`); any other brand is
 *   verified (`SELF_DECLARED` for a sole proprietor, who has no EIN), with vetting score 75.
 * - A campaign is rejected (`MNO_REJECTED`) with one reason per finding of textplane's own
 *   campaign lint (`<code>: <message>`), against its brand's names and contacts; a campaign
 *   the lint finds nothing in is accepted and provisioned (`MNO_PROVISIONED`).
 * - A number's assignment is `ASSIGNED` when its campaign is provisioned, else it fails.
 */

export const DEFAULT_VETTING_SCORE = 75;

export type BrandReview =
  | { outcome: 'approved'; identityStatus: 'VERIFIED' | 'SELF_DECLARED'; vettingScore: number }
  | { outcome: 'rejected'; reasons: string[] };

export type CampaignReview = { outcome: 'approved' } | { outcome: 'rejected'; reasons: string[] };

export function reviewBrand(brand: Readonly<Record<string, unknown>>): BrandReview {
  const ein = typeof brand['ein'] === 'string' ? brand['ein'] : '';
  const digits = ein.replaceAll(/\D/gu, '');
  if (digits.length > 0 && /^0+$/u.test(digits)) {
    return { outcome: 'rejected', reasons: [`EIN ${ein} is not a valid EIN (all zeros)`] };
  }
  return {
    outcome: 'approved',
    identityStatus: brand['entityType'] === 'SOLE_PROPRIETOR' ? 'SELF_DECLARED' : 'VERIFIED',
    vettingScore: DEFAULT_VETTING_SCORE,
  };
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;
const flag = (value: unknown): boolean | undefined =>
  typeof value === 'boolean' ? value : undefined;

/** A campaign builder body (Telnyx's `sample1`..`sample5`, comma-joined keywords) as the lint reads it. */
export function reviewCampaign(
  campaign: Readonly<Record<string, unknown>>,
  brand: Readonly<Record<string, unknown>>,
): CampaignReview {
  const samples = [1, 2, 3, 4, 5].flatMap((i) => {
    const sample = text(campaign[`sample${i}`]);
    return sample ? [sample] : [];
  });
  const keywords = (value: unknown) =>
    (text(value) ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter((k) => k.length > 0);
  const optional = <K extends string, V>(key: K, value: V | undefined) =>
    value === undefined ? {} : ({ [key]: value } as Record<K, V>);
  const findings = lintCampaign(
    {
      ...optional('usecase', text(campaign['usecase'])),
      ...optional('description', text(campaign['description'])),
      ...optional('messageFlow', text(campaign['messageFlow'])),
      sampleMessages: samples,
      ...optional('helpMessage', text(campaign['helpMessage'])),
      ...optional('optinMessage', text(campaign['optinMessage'])),
      ...optional('optoutMessage', text(campaign['optoutMessage'])),
      helpKeywords: keywords(campaign['helpKeywords']),
      optinKeywords: keywords(campaign['optinKeywords']),
      optoutKeywords: keywords(campaign['optoutKeywords']),
      ...optional('embeddedLink', flag(campaign['embeddedLink'])),
      ...optional('embeddedPhone', flag(campaign['embeddedPhone'])),
      ...optional('numberPool', flag(campaign['numberPool'])),
      ...optional('ageGated', flag(campaign['ageGated'])),
      ...optional('directLending', flag(campaign['directLending'])),
    },
    {
      displayName: text(brand['displayName']) ?? '',
      ...optional('companyName', text(brand['companyName'])),
      ...optional('email', text(brand['email'])),
      ...optional('phone', text(brand['phone'])),
    },
  );
  if (findings.length === 0) return { outcome: 'approved' };
  // One reason per finding; semicolons would split a reason in two on the reader's side.
  return {
    outcome: 'rejected',
    reasons: findings.map((f) => `${f.code}: ${f.message.replaceAll(';', ',')}`),
  };
}
