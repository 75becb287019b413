import { isGsm7, septetsOf } from './gsm7-alphabet.js';
import { toSmartEncoding } from './smart-encoding.js';

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentCount {
  encoding: SmsEncoding;
  segments: number;
  /** User-perceived characters (grapheme clusters; CR LF counts as two, as on the air interface). */
  characters: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) of the whole text, escape septets included. */
  unitsUsed: number;
  /** Capacity of each segment for this message: 160/70 when it fits one, 153/67 when concatenated. */
  unitsPerSegment: number;
  /** The text carried by each segment, in order (what the handset reassembles). */
  segmentTexts?: string[];
}

export interface SegmentCountOptions {
  /**
   * Replace look-alike characters (curly quotes, dashes, special spaces...) with GSM-7 ones
   * before counting. As Twilio's Smart Encoding does, the replacement is used only when it makes
   * the whole message GSM-7; otherwise the original text is sent (and counted) as UCS-2.
   */
  smartEncoding?: boolean;
}

/**
 * Units one segment carries (3GPP TS 23.040 / 23.038). A concatenated segment loses 6 octets
 * to the user data header: 7 septets in GSM-7, 3 code units in UCS-2.
 */
export const SEGMENT_CAPACITY: Readonly<
  Record<SmsEncoding, { readonly single: number; readonly concatenated: number }>
> = {
  'GSM-7': { single: 160, concatenated: 153 },
  'UCS-2': { single: 70, concatenated: 67 },
};

/** Most segments a message may span; carriers reject or truncate longer concatenations. */
export const MAX_SEGMENTS = 10;

/** A piece of text that must stay within one segment, with its cost in the message's units. */
interface Unit {
  text: string;
  cost: number;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Counts the SMS segments a text needs.
 *
 * - GSM-7 when every character is in the GSM-7 basic or extension table (extension characters
 *   cost 2 septets and the escape pair never straddles two segments); otherwise UCS-2 for the
 *   whole message, where no grapheme cluster (emoji sequence, flag, keycap, base + combining
 *   marks) straddles two segments.
 * - An empty text needs 0 segments: there is nothing to send, and callers refuse empty bodies.
 * - A single grapheme longer than a UCS-2 segment (only pathological strings, such as a letter
 *   with dozens of combining marks) is cut between code points, never inside a surrogate pair.
 */
export function countSegments(text: string, options: SegmentCountOptions = {}): SegmentCount {
  const body = options.smartEncoding === true ? smartEncodedIfGsm7(text) : text;
  const gsm7 = gsm7Units(body);
  const encoding: SmsEncoding = gsm7 === undefined ? 'UCS-2' : 'GSM-7';
  const units = gsm7 ?? ucs2Units(body);
  const unitsUsed = units.reduce((sum, unit) => sum + unit.cost, 0);
  const capacity = SEGMENT_CAPACITY[encoding];
  const characters = countCharacters(body);

  if (unitsUsed === 0) {
    return {
      encoding,
      segments: 0,
      characters,
      unitsUsed,
      unitsPerSegment: capacity.single,
      segmentTexts: [],
    };
  }
  if (unitsUsed <= capacity.single) {
    return {
      encoding,
      segments: 1,
      characters,
      unitsUsed,
      unitsPerSegment: capacity.single,
      segmentTexts: [body],
    };
  }
  const segmentTexts = pack(units, capacity.concatenated);
  return {
    encoding,
    segments: segmentTexts.length,
    characters,
    unitsUsed,
    unitsPerSegment: capacity.concatenated,
    segmentTexts,
  };
}

function smartEncodedIfGsm7(text: string): string {
  const replaced = toSmartEncoding(text);
  return isGsm7(replaced) ? replaced : text;
}

/**
 * Each GSM-7 character is its own unit, so an escape pair (cost 2) is never split; undefined
 * when a character is outside GSM-7.
 */
function gsm7Units(text: string): Unit[] | undefined {
  const units: Unit[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    const cost = septetsOf(char);
    if (cost === undefined) return undefined;
    units.push({ text: char, cost });
  }
  return units;
}

/** Each grapheme cluster is a unit costing its UTF-16 length. */
function ucs2Units(text: string): Unit[] {
  return splitGraphemes(text).map((grapheme) => ({ text: grapheme, cost: grapheme.length }));
}

/**
 * Grapheme clusters, except that CR LF is two characters: each is its own GSM-7/UCS-2
 * character on the air interface, and Twilio's calculator counts and splits them apart too.
 */
function splitGraphemes(text: string): string[] {
  const result: string[] = [];
  for (const { segment } of graphemes.segment(text)) {
    if (segment === '\r\n') result.push('\r', '\n');
    else result.push(segment);
  }
  return result;
}

function countCharacters(text: string): number {
  return splitGraphemes(text).length;
}

/** Fills segments in order; a unit that does not fit the space left starts the next segment. */
function pack(units: readonly Unit[], capacity: number): string[] {
  const segments: string[] = [];
  let current = '';
  let used = 0;
  const close = (): void => {
    segments.push(current);
    current = '';
    used = 0;
  };

  for (const unit of units) {
    if (unit.cost > capacity) {
      // Cannot fit any segment whole: cut it between code points, filling the space left first.
      for (const codePoint of unit.text) {
        if (used + codePoint.length > capacity) close();
        current += codePoint;
        used += codePoint.length;
      }
      continue;
    }
    if (used + unit.cost > capacity) close();
    current += unit.text;
    used += unit.cost;
  }
  if (used > 0) close();
  return segments;
}
