/**
 * Segment count as a carrier reports it in `parts`/`encoding`. The platform has its own exact
 * counter; this one only has to be plausible, but follows the same rules (3GPP TS 23.038).
 */

export type MessageEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentCount {
  readonly encoding: MessageEncoding;
  readonly parts: number;
  /** User-visible characters (code points). */
  readonly numChars: number;
}

const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
// Extension table characters cost an escape septet plus their own.
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

const GSM_SINGLE = 160;
const GSM_CONCATENATED = 153;
const UCS2_SINGLE = 70;
const UCS2_CONCATENATED = 67;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

function gsmSeptets(text: string): number[] | null {
  const septets: number[] = [];
  for (const char of text) {
    if (GSM_BASIC.has(char)) septets.push(1);
    else if (GSM_EXTENSION.has(char)) septets.push(2);
    else return null;
  }
  return septets;
}

/** Greedy packing: a unit (escape pair, grapheme) never straddles two segments. */
function pack(units: readonly number[], perSegment: number): number {
  let parts = 1;
  let used = 0;
  for (const size of units) {
    if (used + size > perSegment && used > 0) {
      parts += 1;
      used = 0;
    }
    used += size;
  }
  return parts;
}

export function countSegments(text: string): SegmentCount {
  const numChars = [...text].length;
  const septets = gsmSeptets(text);
  if (septets) {
    const total = septets.reduce((sum, n) => sum + n, 0);
    const parts = total <= GSM_SINGLE ? 1 : pack(septets, GSM_CONCATENATED);
    return { encoding: 'GSM-7', parts, numChars };
  }
  if (text.length <= UCS2_SINGLE) return { encoding: 'UCS-2', parts: 1, numChars };
  const units = Array.from(graphemes.segment(text), (g) => g.segment.length);
  return { encoding: 'UCS-2', parts: pack(units, UCS2_CONCATENATED), numChars };
}
