import { createHash } from 'node:crypto';

/** Telnyx: 1–255 letters, digits, hyphens, underscores or colons. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_:-]{1,255}$/;

/** Telnyx replays successful answers for 24 h. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

interface StoredAnswer {
  readonly bodyDigest: string;
  readonly answer: string;
  readonly expiresAt: number;
}

export type IdempotencyLookup =
  | { readonly kind: 'new' }
  | { readonly kind: 'replay'; readonly answer: string }
  | { readonly kind: 'conflict' };

export function digestBody(rawBody: Buffer): string {
  return createHash('sha256').update(rawBody).digest('base64');
}

/**
 * Successful answers by Idempotency-Key. Only successes are kept (as Telnyx does), so a send
 * that failed may be retried under the same key. Entries are inserted in expiry order (fixed
 * TTL), so expiry and the size bound both evict from the front of the Map.
 */
export class IdempotencyStore {
  private readonly answers = new Map<string, StoredAnswer>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number,
    private readonly ttlMs: number = IDEMPOTENCY_TTL_MS,
  ) {}

  lookup(key: string, bodyDigest: string): IdempotencyLookup {
    const stored = this.answers.get(key);
    if (!stored || stored.expiresAt <= this.now()) return { kind: 'new' };
    return stored.bodyDigest === bodyDigest
      ? { kind: 'replay', answer: stored.answer }
      : { kind: 'conflict' };
  }

  remember(key: string, bodyDigest: string, answer: string): void {
    this.evictExpired();
    this.answers.delete(key);
    this.answers.set(key, { bodyDigest, answer, expiresAt: this.now() + this.ttlMs });
    while (this.answers.size > this.maxEntries) {
      const oldest = this.answers.keys().next();
      if (oldest.done) break;
      this.answers.delete(oldest.value);
    }
  }

  clear(): void {
    this.answers.clear();
  }

  get size(): number {
    return this.answers.size;
  }

  private evictExpired(): void {
    const now = this.now();
    for (const [key, stored] of this.answers) {
      if (stored.expiresAt > now) return;
      this.answers.delete(key);
    }
  }
}
