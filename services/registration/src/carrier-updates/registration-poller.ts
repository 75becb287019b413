import type { Clock } from '@textplane/service-runtime';
import { v7 as uuidv7 } from 'uuid';
import type { DataSource } from 'typeorm';
import type { RegistrationStore } from '../infrastructure/registration-store.js';
import type { CarrierUpdateHandler, UpdateLogger } from './carrier-update.handler.js';

export interface RegistrationPollerOptions {
  /** A resource waiting on the carrier this long since its last change is read again. */
  staleAfterMs: number;
  batch: number;
}

/**
 * The fallback for a lost status webhook: resources still waiting on the carrier, unchanged for
 * a while, are read again. `pollOnce` is the whole of it; the service calls it on an interval.
 */
export class RegistrationPoller {
  constructor(
    private readonly registrations: RegistrationStore,
    private readonly updates: CarrierUpdateHandler,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly logger: UpdateLogger,
    private readonly options: RegistrationPollerOptions,
  ) {}

  /** Reads the stale resources again; resolves to how many were read. */
  async pollOnce(): Promise<number> {
    const olderThan = new Date(this.clock.now().getTime() - this.options.staleAfterMs);
    const stale = await this.registrations.unsettled(
      this.dataSource.manager,
      olderThan,
      this.options.batch,
    );
    for (const { kind, carrierId } of stale) {
      await this.registrations.markPolled(
        this.dataSource.manager,
        kind,
        carrierId,
        this.clock.now(),
      );
      try {
        await this.updates.refresh(kind, carrierId, {
          correlationId: uuidv7(),
        });
      } catch (error) {
        // One resource's outage holds back no other; it is read again next time.
        this.logger.warn({ err: error, kind, carrierId }, 'registration poll failed');
      }
    }
    return stale.length;
  }
}
