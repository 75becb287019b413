import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  LINT_CODES,
  TEMPLATE_WARNING_FOR_LINT_CODE,
  lintCampaign,
  type CampaignLintInput,
  type LintBrand,
  type LintCode,
  type LintFinding,
} from './campaign-lint.js';
import { parseBrand, parseCampaign } from './registration-fields.js';

interface ExpectedFinding {
  code: LintCode;
  field: string;
  suggestion?: string | boolean;
}

interface LabelledCase {
  name: string;
  brand?: LintBrand | null;
  campaign: Partial<CampaignLintInput>;
  findings: ExpectedFinding[];
}

interface LabelledTable {
  brand: LintBrand;
  base: CampaignLintInput;
  cases: LabelledCase[];
}

const table = JSON.parse(
  readFileSync(new URL('../testdata/campaign-lint.labelled.json', import.meta.url), 'utf8'),
) as LabelledTable;

const lintCase = (c: LabelledCase): LintFinding[] =>
  lintCampaign({ ...table.base, ...c.campaign }, c.brand === undefined ? table.brand : c.brand);

const shape = (finding: LintFinding): ExpectedFinding => ({
  code: finding.code,
  field: finding.field,
  ...(finding.suggestion !== undefined ? { suggestion: finding.suggestion } : {}),
});

describe('lintCampaign: the labelled table (testdata/campaign-lint.labelled.json)', () => {
  it.each(table.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(lintCase(c).map(shape)).toEqual(c.findings);
  });

  it('covers every lint code, each found at least once', () => {
    const found = new Set(table.cases.flatMap((c) => c.findings.map((f) => f.code)));
    expect([...LINT_CODES].filter((code) => !found.has(code))).toEqual([]);
    expect(table.cases.length).toBe(37);
  });

  it('gives every finding a message', () => {
    for (const c of table.cases) {
      for (const finding of lintCase(c)) expect(finding.message.length).toBeGreaterThan(10);
    }
  });
});

describe('lintCampaign: messages', () => {
  it('says what is missing from a message flow', () => {
    expect(
      lintCampaign({ ...table.base, messageFlow: 'We send reminders to patients.' }, table.brand),
    ).toEqual([
      {
        code: 'opt_in_flow_unclear',
        field: 'messageFlow',
        message:
          'the message flow does not say where consent is collected (web form URL, keyword and number, paper form, in person, app), nor how the person consents (checks a box, texts a keyword, agrees to receive texts)',
      },
    ]);
  });

  it('names the shortener, the restricted terms with what the flags declare, and the promotional cue', () => {
    const findings = lintCampaign(
      {
        ...table.base,
        usecase: 'CUSTOMER_CARE',
        embeddedLink: true,
        sampleMessages: [
          'Acme Dental: BOGO cigars and a payday loan at bit.ly/x. Reply STOP to opt out.',
        ],
      },
      table.brand,
    );
    expect(findings).toEqual([
      {
        code: 'public_url_shortener',
        field: 'sampleMessages.0',
        message:
          'links through a public URL shortener (bit.ly), which carriers filter: use the full link or a branded short domain',
      },
      {
        code: 'restricted_content',
        field: 'sampleMessages.0',
        message:
          'restricted content carriers review or refuse: cigars (tobacco_vaping; needs ageGated: true at least), payday loan (payday_loans; needs directLending: true at least)',
      },
      {
        code: 'use_case_content_mismatch',
        field: 'sampleMessages.0',
        message:
          'promotional wording ("BOGO") in a CUSTOMER_CARE campaign: marketing needs a MARKETING or MIXED campaign',
      },
    ]);
  });

  it('notes declared age gating instead of asking for it', () => {
    const [finding] = lintCampaign(
      {
        ...table.base,
        usecase: 'MARKETING',
        ageGated: true,
        sampleMessages: ['Acme Dental: wine tasting Friday. Reply STOP to opt out.'],
      },
      table.brand,
    );
    expect(finding?.message).toBe(
      'restricted content carriers review or refuse: wine (alcohol; age-gated as declared)',
    );
  });

  it('checks no sample-based rule without samples', () => {
    expect(
      lintCampaign({ ...table.base, sampleMessages: [], embeddedLink: true }, table.brand),
    ).toEqual([]);
  });
});

describe('the codes shared with template warnings', () => {
  it('maps each shared lint code to its template warning', () => {
    expect(TEMPLATE_WARNING_FOR_LINT_CODE).toEqual({
      missing_brand_name: 'missing_brand',
      missing_opt_out_language: 'no_opt_out_language',
      public_url_shortener: 'url_shortener',
      restricted_content: 'restricted_content',
    });
  });
});

describe('lintCampaign after parseCampaign and parseBrand', () => {
  it('takes the parsed campaign and brand as they are', () => {
    const campaign = parseCampaign(table.base);
    const brand = parseBrand({
      entityType: 'PRIVATE_PROFIT',
      displayName: 'Acme Dental',
      companyName: 'Acme Dental LLC',
      ein: '123456789',
      phone: '+15125550100',
      street: '1 Main St',
      city: 'Austin',
      state: 'TX',
      postalCode: '78701',
      country: 'US',
      email: 'support@acmedental.com',
      vertical: 'HEALTHCARE',
    });
    if (!campaign.ok || !brand.ok) throw new Error('the base campaign and brand are valid');
    expect(lintCampaign(campaign.campaign, brand.brand)).toEqual([]);
    expect(
      lintCampaign({ ...campaign.campaign, helpMessage: 'Acme Dental reminders.' }, brand.brand),
    ).toEqual([
      {
        code: 'help_without_contact',
        field: 'helpMessage',
        message:
          'the help message gives no contact (an e-mail address, a phone number or a support link)',
        suggestion: 'Acme Dental reminders. Contact us at support@acmedental.com or +15125550100.',
      },
    ]);
  });
});
