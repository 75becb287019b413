export {
  DELIVERY_LIMITS,
  parseDelivery,
  type Delivery,
  type DeliveryContext,
  type DeliveryFieldError,
  type ParsedDelivery,
} from './delivery.js';
export {
  CADENCE_UNITS,
  PREVIEW_BATCH_LIMIT,
  WEEKDAYS,
  DripCalendar,
  dripBatchCount,
  dripBatches,
  dripPreview,
  isDripAllowed,
  nextDripBatchAt,
  nextDripOpening,
  type CadenceUnit,
  type DripBatch,
  type DripPreview,
  type DripSchedule,
  type DripWindow,
  type Weekday,
} from './drip-schedule.js';
export {
  localTimeInstant,
  parseLocalDateTime,
  resolveZone,
  type ZoneKeyword,
  type ZoneSources,
} from './recipient-schedule.js';
export {
  chooseSender,
  type SenderChoice,
  type SenderChoiceInput,
  type SenderSource,
} from './sticky-sender.js';
export { canonicalTimeZone, type LocalDateTime } from './local-time.js';
