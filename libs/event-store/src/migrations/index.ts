import type { MigrationInterface } from 'typeorm';
import { EventStoreSchema1767225600000 } from './1767225600000-event-store-schema.js';
import { OutboxQuarantine1767225700000 } from './1767225700000-outbox-quarantine.js';

/** Add these to a service DataSource's `migrations`; they own the events, outbox (and its quarantine) and inbox tables. */
export const eventStoreMigrations: Array<new () => MigrationInterface> = [
  EventStoreSchema1767225600000,
  OutboxQuarantine1767225700000,
];
