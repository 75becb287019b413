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

/**
 * Cuts items into chunks as they come (holding one chunk at most): `add` returns the chunk an
 * item closed, `flush` the last one. The same items always give the same chunks.
 */
export class ChunkCutter<T> {
  private current: T[] = [];
  private bytes = 0;

  constructor(
    private readonly limits: ChunkLimits = IMPORT_CHUNK_LIMITS,
    private readonly sizeOf: (item: T) => number = jsonBytes,
  ) {}

  add(item: T): T[] | undefined {
    const size = this.sizeOf(item);
    let closed: T[] | undefined;
    if (
      this.current.length > 0 &&
      (this.bytes + size > this.limits.maxBytes || this.current.length >= this.limits.maxItems)
    ) {
      closed = this.current;
      this.current = [];
      this.bytes = 0;
    }
    this.current.push(item);
    this.bytes += size;
    return closed;
  }

  flush(): T[] | undefined {
    if (this.current.length === 0) return undefined;
    const last = this.current;
    this.current = [];
    this.bytes = 0;
    return last;
  }
}

/** `items` in order, cut so that each chunk is at most `maxBytes` (unless one item is) and `maxItems`. */
export function chunkByBytes<T>(
  items: readonly T[],
  limits: ChunkLimits = IMPORT_CHUNK_LIMITS,
  sizeOf: (item: T) => number = jsonBytes,
): T[][] {
  const cutter = new ChunkCutter(limits, sizeOf);
  const chunks: T[][] = [];
  for (const item of items) {
    const closed = cutter.add(item);
    if (closed) chunks.push(closed);
  }
  const last = cutter.flush();
  if (last) chunks.push(last);
  return chunks;
}
