import { ContactImportError } from './contact-import-errors.js';

export type ContactImportChunk = Uint8Array | string;

const BOM = '\ufeff';

/**
 * The import's text, chunk by chunk, as it arrives: UTF-8 decoded (strictly: a byte sequence that
 * is not UTF-8 refuses the import), a leading byte-order mark dropped, and the bytes counted so
 * that more than `maxBytes` refuses the import as soon as the limit is crossed.
 */
export async function* importText(
  source: AsyncIterable<unknown>,
  maxBytes: number,
): AsyncGenerator<string> {
  // `ignoreBOM: false` (the default) makes the decoder drop a leading BOM itself.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  let first = true;
  const decode = (chunk: Uint8Array | undefined, stream: boolean): string => {
    try {
      return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream });
    } catch {
      throw ContactImportError.of(
        'not_utf8',
        `The import is not UTF-8 text (an invalid byte sequence within the first ${bytes} bytes); save it as UTF-8`,
      );
    }
  };
  for await (const chunk of source) {
    let text: string;
    if (typeof chunk === 'string') {
      bytes += Buffer.byteLength(chunk, 'utf8');
      text = decode(undefined, false) + chunk;
    } else if (chunk instanceof Uint8Array) {
      bytes += chunk.byteLength;
      text = decode(chunk, true);
    } else {
      throw new TypeError('A contact import source yields Buffers, Uint8Arrays or strings');
    }
    if (bytes > maxBytes) {
      throw ContactImportError.of(
        'too_large',
        `The import is larger than ${maxBytes} bytes (the limit); split it`,
      );
    }
    if (first && text !== '') {
      first = false;
      if (text.startsWith(BOM)) text = text.slice(1);
    }
    if (text !== '') yield text;
  }
  const rest = decode(undefined, false);
  if (rest !== '') yield rest;
}
