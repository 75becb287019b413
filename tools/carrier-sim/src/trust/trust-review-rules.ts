import { createHash } from 'node:crypto';
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
 * - A sole proprietor's brand, once reviewed, is `OK` / `SELF_DECLARED` and takes no campaign
 *   until its SMS OTP is verified (then `VERIFIED`). The PIN is `otpPinFor(brandId, attempt)`:
 *   the first six decimal digits of sha256(`<brandId>:<attempt>`), attempt 1 for the first OTP
 *   of the brand; `GET /sim/trust/otp/{brandId}` shows the current one. PINs do not expire.
 * - An ordered external vetting scores `ORDERED_VETTING_SCORE` (82) after the review delay.
 * - A toll-free verification request is `Waiting For Telnyx` until its review, then `Rejected`
 *   with one reason per rule it breaks (`tollFreeReview`), else `Verified`:
 *   `opt_in_image_missing` (no `optInWorkflowImageURLs`), `opt_in_workflow_unclear` (an
 *   `optInWorkflow` under 40 characters), `public_url_shortener` (a public shortener in the
 *   `productionMessageContent`).
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

export const ORDERED_VETTING_SCORE = 82;

/** The simulator's PIN for a brand's n-th OTP: six digits, the same for the same inputs. */
export function otpPinFor(brandId: string, attempt: number): string {
  const digits = createHash('sha256')
    .update(`${brandId}:${attempt}`)
    .digest('hex')
    .replaceAll(/[^0-9]/gu, '');
  return digits.padEnd(6, '0').slice(0, 6);
}

export type TollFreeReview = { outcome: 'approved' } | { outcome: 'rejected'; reasons: string[] };

const PUBLIC_SHORTENERS =
  /\b(?:bit\.ly|tinyurl\.com|goo\.gl|t\.co|ow\.ly|is\.gd|buff\.ly|rebrand\.ly|cutt\.ly|shorturl\.at)\//iu;
const OPT_IN_WORKFLOW_MIN_LENGTH = 40;

/** A toll-free verification body (Telnyx's shape) against the simulator's documented rules. */
export function tollFreeReview(request: Readonly<Record<string, unknown>>): TollFreeReview {
  const reasons: string[] = [];
  const images = request['optInWorkflowImageURLs'];
  if (!Array.isArray(images) || images.length === 0) {
    reasons.push(
      'opt_in_image_missing: The opt-in workflow has no image URLs showing where and how consent is collected',
    );
  }
  const workflow = text(request['optInWorkflow']) ?? '';
  if (workflow.trim().length < OPT_IN_WORKFLOW_MIN_LENGTH) {
    reasons.push(
      'opt_in_workflow_unclear: The opt-in workflow does not describe where and how end users consent',
    );
  }
  if (PUBLIC_SHORTENERS.test(text(request['productionMessageContent']) ?? '')) {
    reasons.push(
      'public_url_shortener: The production message content uses a public URL shortener',
    );
  }
  return reasons.length === 0 ? { outcome: 'approved' } : { outcome: 'rejected', reasons };
}
