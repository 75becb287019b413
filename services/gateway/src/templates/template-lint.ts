import {
  findRestrictedContent,
  findUrlShorteners,
  hasOptOutLanguage,
  identifiesBrand,
} from '@textplane/compliance';
import type { MessagePurpose, TemplateKind, TemplateWarning } from '@textplane/contracts';
import type { MergeVariable } from '@textplane/merge-fields';

export interface TemplateLintInput {
  kind: TemplateKind;
  body: string;
  purpose: MessagePurpose | undefined;
  /** The merge fields the body uses (the merge-field check's variables). */
  variables: readonly MergeVariable[];
  brandName: string;
}

/**
 * The compliance linter at save: what a carrier or the dispatcher would object to, as warnings
 * that never refuse the save. Content checks (shortener links, restricted content) apply to
 * templates and snippets; opt-out language (marketing) and the brand apply to a whole template,
 * since a snippet is only part of a message.
 */
export function lintTemplate(input: TemplateLintInput): TemplateWarning[] {
  const warnings: TemplateWarning[] = [];
  const shorteners = findUrlShorteners(input.body);
  if (shorteners.length > 0) {
    warnings.push({
      code: 'url_shortener',
      message: `Public link shorteners are filtered by carriers: ${shorteners.join(', ')}`,
    });
  }
  const restricted = findRestrictedContent(input.body);
  if (restricted.length > 0) {
    const found = restricted.map((finding) => `${finding.term} (${finding.category})`);
    warnings.push({
      code: 'restricted_content',
      message: `Restricted content a send may be flagged or blocked for: ${found.join(', ')}`,
    });
  }
  if (input.kind === 'template') {
    if (input.purpose === 'marketing' && !hasOptOutLanguage(input.body)) {
      warnings.push({
        code: 'no_opt_out_language',
        message:
          'A marketing template without opt-out language: "Reply STOP to opt out." will be added to each send',
      });
    }
    const namesBusiness = input.variables.some((v) => v.name === 'business.name');
    if (!namesBusiness && !identifiesBrand(input.body, input.brandName)) {
      warnings.push({
        code: 'missing_brand',
        message: `The body does not name the brand (${input.brandName}, or {{ business.name }}): it will be prefixed on a first message to a contact`,
      });
    }
  }
  return warnings;
}
