import pg from 'pg';
import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { postgresUnavailable } from './postgres-unavailable.js';

/** An ErrorResponse from the server, as pg-protocol decodes it. */
function serverError(code: string, message: string): pg.DatabaseError {
  const error = new pg.DatabaseError(message, message.length, 'error');
  error.code = code;
  error.severity = 'FATAL';
  return error;
}

/** An error from Node's net module, as pg passes it on. */
function socketError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, syscall: 'connect' });
}

const viaTypeorm = (driverError: Error): QueryFailedError =>
  new QueryFailedError('INSERT INTO events ...', [], driverError);

describe('postgresUnavailable', () => {
  it.each<[string, unknown, string]>([
    [
      'a server starting up',
      serverError('57P03', 'the database system is starting up'),
      '57P03: the database system is starting up',
    ],
    [
      'a server not yet accepting connections (recovery)',
      serverError('57P03', 'the database system is not yet accepting connections'),
      '57P03: the database system is not yet accepting connections',
    ],
    [
      'a server shutting down',
      serverError('57P03', 'the database system is shutting down'),
      '57P03: the database system is shutting down',
    ],
    [
      'a connection terminated by a restart, through typeorm',
      viaTypeorm(serverError('57P01', 'terminating connection due to administrator command')),
      '57P01: terminating connection due to administrator command',
    ],
    [
      'a crash of another backend',
      serverError('57P02', 'terminating connection because of crash of another server process'),
      '57P02: terminating connection because of crash of another server process',
    ],
    [
      'too many connections',
      serverError('53300', 'sorry, too many clients already'),
      '53300: sorry, too many clients already',
    ],
    [
      'a connection failure (class 08)',
      serverError('08006', 'connection failure'),
      '08006: connection failure',
    ],
    [
      'a connection refused while the server restarts',
      socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
      'connect ECONNREFUSED 127.0.0.1:5432',
    ],
    [
      'a connection reset',
      viaTypeorm(socketError('ECONNRESET', 'read ECONNRESET')),
      'read ECONNRESET',
    ],
    ['a broken pipe', socketError('EPIPE', 'write EPIPE'), 'write EPIPE'],
    [
      'a connect timeout of the OS',
      socketError('ETIMEDOUT', 'connect ETIMEDOUT 10.0.0.5:5432'),
      'connect ETIMEDOUT 10.0.0.5:5432',
    ],
    [
      'a connection that died under a query, through typeorm',
      viaTypeorm(new Error('Connection terminated unexpectedly')),
      'Connection terminated unexpectedly',
    ],
    [
      "pg-pool's connection timeout, which wraps pg's",
      new Error('Connection terminated due to connection timeout', {
        cause: new Error('Connection terminated unexpectedly'),
      }),
      'Connection terminated due to connection timeout',
    ],
    [
      'a pool with no free connection in time',
      new Error('timeout exceeded when trying to connect'),
      'timeout exceeded when trying to connect',
    ],
    [
      'a client whose connection failed',
      new Error('Client has encountered a connection error and is not queryable'),
      'Client has encountered a connection error and is not queryable',
    ],
    [
      'a refused connection to each address of a name (AggregateError)',
      Object.assign(
        new AggregateError([
          socketError('ECONNREFUSED', 'connect ECONNREFUSED ::1:5432'),
          socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
        ]),
        { code: 'ECONNREFUSED' },
      ),
      'ECONNREFUSED',
    ],
    [
      'a refused connection inside an aggregate without a code of its own',
      new AggregateError([
        new Error('other'),
        socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
      ]),
      'connect ECONNREFUSED 127.0.0.1:5432',
    ],
    [
      'a query runner typeorm released when its connection failed',
      new QueryRunnerAlreadyReleasedError(),
      'QueryRunnerAlreadyReleasedError: Query runner already released. Cannot run queries anymore.',
    ],
    [
      'a wrapper of a wrapper',
      new Error('append failed', {
        cause: viaTypeorm(
          serverError('57P01', 'terminating connection due to administrator command'),
        ),
      }),
      '57P01: terminating connection due to administrator command',
    ],
  ])('given %s, then Postgres is unavailable', (_, error, reason) => {
    expect(postgresUnavailable(error)).toEqual({ dependency: 'postgres', reason });
  });

  it.each<[string, unknown]>([
    [
      'a unique violation',
      viaTypeorm(serverError('23505', 'duplicate key value violates unique constraint')),
    ],
    ['a syntax error', viaTypeorm(serverError('42601', 'syntax error at or near "SELEC"'))],
    [
      'a serialization failure (an attempt worth retrying, not an outage)',
      serverError('40001', 'could not serialize access'),
    ],
    ['a protocol violation (a client bug)', serverError('08P01', 'invalid message format')],
    ['a database that does not exist', serverError('3D000', 'database "nope" does not exist')],
    [
      'a NUL in a jsonb value',
      viaTypeorm(serverError('22P05', 'unsupported Unicode escape sequence')),
    ],
    ['a plain error', new Error('cannot handle the event')],
    ['an error with a numeric code', Object.assign(new Error('leader not available'), { code: 5 })],
    ['a string', 'ECONNREFUSED'],
    ['undefined', undefined],
  ])('given %s, then not', (_, error) => {
    expect(postgresUnavailable(error)).toBeUndefined();
  });

  it('given a cause cycle, then it ends', () => {
    const first = new Error('first');
    const second = new Error('second', { cause: first });
    Object.assign(first, { cause: second });
    expect(postgresUnavailable(first)).toBeUndefined();
  });
});
