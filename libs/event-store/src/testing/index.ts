export {
  createTestDatabase,
  type TestDatabase,
  type TestDatabaseOptions,
} from './test-database.js';
export { type TestPostgresConfig, testPostgresConfig } from './config.js';
export { PostgresProxy } from './postgres-proxy.js';
