export { URL_SHORTENER_DOMAINS, findUrlShorteners } from './url-shorteners.js';
export {
  RESTRICTED_TERMS,
  findRestrictedContent,
  type RestrictedCategory,
  type RestrictedFinding,
} from './restricted-content.js';
export { DEFAULT_OPT_OUT_LANGUAGE, hasOptOutLanguage } from './opt-out-language.js';
export { identifiesBrand } from './brand-identification.js';
export {
  complianceAdditions,
  type ComplianceAdditions,
  type ComplianceAdditionsInput,
} from './compliance-additions.js';
export { optOutReminderDue, type OptOutReminderInput } from './opt-out-reminder.js';
