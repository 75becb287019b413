/**
 * How an import's rows are cut into events: each event holds rows in order up to a byte budget
 * (and a row count), so every Kafka record stays far below the broker's 1 MB limit however large
 * the contacts are. A row over the budget on its own goes alone in its chunk (the largest
 * contact the rules allow, 200 custom fields of 1,000 four-byte characters, is about 850 kB).
 */
export interface ChunkLimits {
  /** UTF-8 bytes of the items' JSON in one chunk. */
  maxBytes: number;
  /** Items in one chunk: bounds one transaction in messaging and the progress step. */
  maxItems: number;
}

export const IMPORT_CHUNK_LIMITS: Readonly<ChunkLimits> = Object.freeze({
  maxBytes: 256 * 1024,
  maxItems: 1_000,
});

/** The UTF-8 size of an item as it will be written in a JSON array (its comma included). */
export function jsonBytes(item: unknown): number {
  return Buffer.byteLength(JSON.stringify(item), 'utf8') + 1;
}

/** `items` in order, cut so that each chunk is at most `maxBytes` (unless one item is) and `maxItems`. */
export function chunkByBytes<T>(
  items: readonly T[],
  limits: ChunkLimits = IMPORT_CHUNK_LIMITS,
  sizeOf: (item: T) => number = jsonBytes,
): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (
      current.length > 0 &&
      (bytes + size > limits.maxBytes || current.length >= limits.maxItems)
    ) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
