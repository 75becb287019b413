export {
  AREA_CODES,
  CANADIAN_REGIONS,
  areaCodeLocation,
  type AreaCodeLocation,
} from './area-codes.js';
export { isValidTimeZone, recipientLocale, type RecipientLocale } from './recipient-locale.js';
export {
  FEDERAL_SEND_WINDOW,
  sendWindowFor,
  type LocalWindow,
  type SendWindowRule,
  type WeeklyWindows,
} from './send-window.js';
export {
  isWithinSendWindow,
  nextAllowedSendTime,
  type SendWindowLocale,
} from './quiet-hours-policy.js';
