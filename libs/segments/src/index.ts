export {
  countSegments,
  MAX_SEGMENTS,
  SEGMENT_CAPACITY,
  type SegmentCount,
  type SegmentCountOptions,
  type SmsEncoding,
} from './segment-counter.js';
export {
  GSM7_BASIC_CHARACTERS,
  GSM7_EXTENSION_CHARACTERS,
  isGsm7,
  septetsOf,
} from './gsm7-alphabet.js';
export { SMART_ENCODING_MAP, toSmartEncoding } from './smart-encoding.js';
