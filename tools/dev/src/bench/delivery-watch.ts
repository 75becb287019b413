import type { ClientReadableStream } from '@grpc/grpc-js';
import { apiKeyMetadata, type GrpcMessage, messagingClient } from '../platform/grpc-client.js';

const FINAL: Readonly<Record<string, string>> = {
  MESSAGE_STATUS_DELIVERED: 'delivered',
  MESSAGE_STATUS_FAILED: 'failed',
  MESSAGE_STATUS_UNDELIVERED: 'undelivered',
};

export interface WatchedOutcome {
  readonly statuses: ReadonlyMap<string, number>;
  readonly delivered: number;
  /** performance.now() when the last delivery was pushed to the watcher. */
  readonly lastDeliveredAt: number | undefined;
}

/**
 * Follows the tenant's status changes over gRPC WatchMessages, as a product team would, so
 * deliveries are timed when the platform announces them (no polling load on the gateway).
 */
export class DeliveryWatch {
  private readonly client;
  private readonly stream: ClientReadableStream<{ message: GrpcMessage }>;
  private readonly final = new Map<string, { status: string; at: number }>();
  private wanted: ReadonlySet<string> | undefined;
  private wantedFinal = 0;
  private settle: (() => void) | undefined;
  private failure: Error | undefined;

  constructor(grpcAddress: string, apiKey: string) {
    this.client = messagingClient(grpcAddress);
    this.stream = this.client.WatchMessages({ message_ids: [] }, apiKeyMetadata(apiKey));
    this.stream.on('data', (change: { message: GrpcMessage }) => {
      const status = FINAL[change.message.status];
      if (status === undefined || this.final.has(change.message.id)) return;
      this.final.set(change.message.id, { status, at: performance.now() });
      if (this.wanted?.has(change.message.id)) {
        this.wantedFinal += 1;
        this.checkSettled();
      }
    });
    this.stream.on('error', (error: Error) => {
      if (!/cancelled/i.test(error.message)) this.failure = error;
      this.settle?.();
    });
  }

  /** Resolves when every id is final, the deadline passes, or the stream fails. */
  async waitFor(ids: readonly string[], deadline: number): Promise<WatchedOutcome> {
    this.wanted = new Set(ids);
    this.wantedFinal = ids.filter((id) => this.final.has(id)).length;
    await new Promise<void>((resolve) => {
      this.settle = resolve;
      const timer = setTimeout(resolve, Math.max(0, deadline - performance.now()));
      timer.unref();
      this.checkSettled();
    });
    if (this.failure) throw this.failure;
    const statuses = new Map<string, number>();
    let delivered = 0;
    let lastDeliveredAt: number | undefined;
    for (const id of ids) {
      const seen = this.final.get(id);
      const status = seen?.status ?? 'pending';
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (seen?.status === 'delivered') {
        delivered += 1;
        lastDeliveredAt = Math.max(lastDeliveredAt ?? 0, seen.at);
      }
    }
    return { statuses, delivered, lastDeliveredAt };
  }

  close(): void {
    this.stream.cancel();
    this.client.close();
  }

  private checkSettled(): void {
    if (this.wanted && this.wantedFinal >= this.wanted.size) this.settle?.();
  }
}
