/**
 * Postgres refuses two things a carrier may legitimately send inside JSON strings: U+0000 (text
 * and jsonb cannot hold it, even escaped) and UTF-16 surrogates that are not part of a pair
 * (`"\ud800"` is valid JSON, yet jsonb rejects it). Refusing such a webhook would lose the
 * person's text — perhaps a STOP — since the carrier retries and gives up. So a recorded webhook
 * holds every string (keys included) with each such character replaced by U+FFFD, the Unicode
 * replacement character, which everything downstream (messaging's InboundMessageReceived, the
 * consent ledger, the read models) stores and the reply classifier reads as punctuation
 * (`STOP\u0000` is a STOP). Whenever a replacement happened, the event also keeps the exact
 * signed body as received, a JSON text whose escapes (`\u0000`) are plain characters, so nothing
 * the carrier sent is lost.
 */
export const REPLACEMENT_CHARACTER = '\uFFFD';

/** The text with U+0000 and lone surrogates replaced by U+FFFD; other text unchanged. */
export function storableText(text: string): string {
  return text.toWellFormed().replaceAll('\u0000', REPLACEMENT_CHARACTER);
}

export function isStorableText(text: string): boolean {
  return text.isWellFormed() && !text.includes('\u0000');
}

/** A parsed JSON value with every string and key made storable, and whether any had to change. */
export function storableJson(value: unknown): { value: unknown; replaced: boolean } {
  let replaced = false;
  const text = (node: string): string => {
    if (isStorableText(node)) return node;
    replaced = true;
    return storableText(node);
  };
  const visit = (node: unknown): unknown => {
    if (typeof node === 'string') return text(node);
    if (Array.isArray(node)) return node.map(visit);
    if (typeof node === 'object' && node !== null) {
      // fromEntries defines own properties, so a "__proto__" key stays a key.
      return Object.fromEntries(
        Object.entries(node).map(([key, child]) => [text(key), visit(child)]),
      );
    }
    return node;
  };
  const result = visit(value);
  return { value: result, replaced };
}
