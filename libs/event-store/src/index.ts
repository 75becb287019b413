export {
  ConcurrencyError,
  type EventCheck,
  type EventMetadata,
  type ExpectedVersion,
  type NewEvent,
  type StoredEvent,
  UnpublishableEventError,
} from './events.js';
export {
  EventStore,
  type AppendResult,
  type EventStoreOptions,
  type StreamAppend,
} from './event-store.js';
export { UnitOfWork, unitOfWorkOf, withUnitOfWork } from './unit-of-work.js';
export { GroupAppender, type GroupAppenderOptions } from './group-appender.js';
export { GroupedTransactions, type TransactionWork } from './grouped-transactions.js';
export { Inbox, type InboxOutcome, type OnceStatement } from './inbox.js';
export { OutboxRelay, type EventPublisher, type OutboxRelayOptions } from './outbox-relay.js';
export { eventStoreMigrations } from './migrations/index.js';
export { upcasters, type Upcast, type Upcasters } from './upcasters.js';
export {
  AggregateStore,
  type AggregateStoreOptions,
  type Decider,
  type Decision,
} from './aggregate-store.js';
export {
  createServiceDataSource,
  migrateServiceDatabase,
  type ServiceDataSourceOptions,
} from './postgres-data-source.js';
export { queryRows } from './query-rows.js';
export { postgresUnavailable, type PostgresUnavailable } from './postgres-unavailable.js';
export { lockKeys } from './advisory-locks.js';
