/**
 * The GSM 7-bit default alphabet of 3GPP TS 23.038 §6.2.1, as the Unicode characters it can carry.
 * Position 0x1B (ESC) is not listed: it only introduces an extension-table character.
 * Position 0x09 is the capital Ç; the small ç is not in the alphabet and forces UCS-2.
 */
export const GSM7_BASIC_CHARACTERS: string =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ' +
  ' !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§' +
  '¿abcdefghijklmnopqrstuvwxyzäöñüà';

/**
 * The default extension table (3GPP TS 23.038 §6.2.1.1): each character is sent as ESC plus
 * its code, so it costs two septets. Form feed (0x0A in the extension table) is one of them.
 */
export const GSM7_EXTENSION_CHARACTERS: string = '\f^{}\\[~]|€';

const basic: ReadonlySet<string> = new Set(GSM7_BASIC_CHARACTERS);
const extension: ReadonlySet<string> = new Set(GSM7_EXTENSION_CHARACTERS);

/**
 * Septets one UTF-16 code unit costs in GSM-7: 1 (basic table), 2 (escape + extension table)
 * or undefined when GSM-7 cannot carry it. Every GSM-7 character is a single BMP code unit.
 */
export function septetsOf(codeUnit: string): 1 | 2 | undefined {
  if (basic.has(codeUnit)) return 1;
  if (extension.has(codeUnit)) return 2;
  return undefined;
}

/** True when every character of the text is in the GSM-7 basic or extension table. */
export function isGsm7(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (septetsOf(text.charAt(i)) === undefined) return false;
  }
  return true;
}
