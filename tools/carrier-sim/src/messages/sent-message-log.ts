import { type CarrierMessage, type OutboundRecipientStatus } from './message-payload.js';

/** One accepted send as `GET /sim/messages` shows it (snake case, like the Telnyx API). */
export interface SentMessage {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly text: string;
  readonly media_urls: readonly string[];
  readonly type: 'SMS' | 'MMS';
  readonly parts: number;
  readonly encoding: string;
  readonly idempotency_key: string | null;
  readonly received_at: string;
  status: OutboundRecipientStatus;
}

/**
 * Every send the carrier accepted, in arrival order. A message sent twice under two keys shows
 * twice: that is what tests look for. Bounded; the oldest go first.
 */
export class SentMessageLog {
  private entries: SentMessage[] = [];

  constructor(private readonly maxEntries: number) {}

  append(message: CarrierMessage, idempotencyKey: string | null): SentMessage {
    const entry: SentMessage = {
      id: message.id,
      from: message.from,
      to: message.to,
      text: message.text,
      media_urls: message.mediaUrls,
      type: message.type,
      parts: message.parts,
      encoding: message.encoding,
      idempotency_key: idempotencyKey,
      received_at: message.receivedAt.toISOString(),
      status: 'queued',
    };
    this.entries.push(entry);
    if (this.entries.length > this.maxEntries) {
      // Trim in chunks so a full log does not shift the array on every send.
      const excess = this.entries.length - this.maxEntries;
      this.entries.splice(0, Math.max(excess, Math.ceil(this.maxEntries / 10)));
    }
    return entry;
  }

  list(filter: { to?: string; from?: string }): readonly SentMessage[] {
    const { to, from } = filter;
    return this.entries.filter(
      (e) => (to === undefined || e.to === to) && (from === undefined || e.from === from),
    );
  }

  clear(): void {
    this.entries = [];
  }
}
