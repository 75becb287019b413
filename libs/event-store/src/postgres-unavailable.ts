import { findInErrorChain, stringProperty } from '@textplane/observability';

/** Postgres cannot be used right now; the same work will succeed once it is back. */
export interface PostgresUnavailable {
  dependency: 'postgres';
  /** What was seen, for logs and /readyz: the SQLSTATE or socket code and the message. */
  reason: string;
}

/**
 * SQLSTATEs that mean the server, not the statement, is the problem. Class 08 (connection
 * exceptions) is taken whole except 08P01 protocol_violation, which is a client bug.
 */
const UNAVAILABLE_SQLSTATES: ReadonlySet<string> = new Set([
  '57P01', // admin_shutdown: "terminating connection due to administrator command" (restart, pg_terminate_backend)
  '57P02', // crash_shutdown: another backend crashed, the server is resetting
  '57P03', // cannot_connect_now: "the database system is starting up / shutting down / not yet accepting connections"
  '57P05', // idle_session_timeout: the connection was closed; a new one works
  '53300', // too_many_connections: the server or role is full for now
]);

/**
 * Socket errors, which pg passes on as Node raised them (connection refused while the server
 * restarts, reset when it dies, a timeout while it is unreachable, DNS while its name moves).
 */
const UNAVAILABLE_SOCKET_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/** pg's and pg-pool's own messages for a connection that died, never came, or waits for one. */
const UNAVAILABLE_MESSAGES: ReadonlySet<string> = new Set([
  'Connection terminated',
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'timeout expired',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
]);

// typeorm releases a query runner whose connection failed; its next query raises this.
const RELEASED_RUNNER_ERROR = 'QueryRunnerAlreadyReleasedError';

/**
 * Whether an error says Postgres is unavailable (unreachable, restarting, shutting down, its
 * connection killed, full) rather than that the work itself failed. Follows typeorm's
 * `QueryFailedError.driverError`, `cause` chains (pg-pool wraps its timeouts) and
 * `AggregateError.errors` (Node's connect to a name with several addresses).
 *
 * Socket codes are not Postgres's alone: where Kafka errors may arrive too, ask the Kafka
 * classifier first (kafkajs wraps its socket errors in errors of its own, carrying the code).
 */
export function postgresUnavailable(error: unknown): PostgresUnavailable | undefined {
  const reason = findInErrorChain(error, ownReason);
  return reason === undefined ? undefined : { dependency: 'postgres', reason };
}

function ownReason(error: object): string | undefined {
  const code = stringProperty(error, 'code');
  const message = stringProperty(error, 'message') ?? '';
  const name = stringProperty(error, 'name');
  if (code !== undefined && isUnavailableSqlState(code)) return `${code}: ${message}`;
  if (code !== undefined && UNAVAILABLE_SOCKET_CODES.has(code)) return message || code;
  if (UNAVAILABLE_MESSAGES.has(message)) return message;
  if (name === RELEASED_RUNNER_ERROR) return `${name}: ${message}`;
  return undefined;
}

function isUnavailableSqlState(code: string): boolean {
  return UNAVAILABLE_SQLSTATES.has(code) || (/^08[0-9A-Z]{3}$/.test(code) && code !== '08P01');
}
