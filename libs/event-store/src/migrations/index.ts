import type { MigrationInterface } from 'typeorm';
import { EventStoreSchema1767225600000 } from './1767225600000-event-store-schema.js';

/** Add these to a service DataSource's `migrations`; they own the events, outbox and inbox tables. */
export const eventStoreMigrations: Array<new () => MigrationInterface> = [
  EventStoreSchema1767225600000,
];
