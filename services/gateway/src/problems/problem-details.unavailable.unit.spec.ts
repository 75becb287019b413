import pg from 'pg';
import { QueryFailedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.js';
import { PROBLEM_CONTENT_TYPE, problemHeaders, problemOf } from './problem-details.js';

/** An ErrorResponse from the server, as pg-protocol decodes it. */
function serverError(code: string, message: string): pg.DatabaseError {
  const error = new pg.DatabaseError(message, message.length, 'error');
  error.code = code;
  return error;
}

/** kafkajs's error for a refused broker connection (the name is what the classifier reads). */
class KafkaJSConnectionError extends Error {
  override readonly name = 'KafkaJSConnectionError';
}

describe('problemOf, while a dependency is unavailable', () => {
  it.each<[string, unknown, string]>([
    [
      'the database starting up',
      new QueryFailedError(
        'INSERT INTO events ...',
        [],
        serverError('57P03', 'the database system is starting up'),
      ),
      'its database',
    ],
    [
      'a connection killed by a restart',
      serverError('57P01', 'terminating connection due to administrator command'),
      'its database',
    ],
    [
      'the database refusing connections',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      'its database',
    ],
    [
      'Kafka unreachable',
      new Error('retries exhausted', {
        cause: new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092'),
      }),
      'its event log',
    ],
  ])('given %s, then 503 service_unavailable with Retry-After', (_, error, what) => {
    const problem = problemOf(error, '/v1/messages');
    expect(problem).toEqual({
      type: 'https://docs.textplane.dev/problems/service_unavailable',
      title: 'Service Unavailable',
      status: 503,
      code: 'service_unavailable',
      detail: `The service cannot reach ${what} right now. Retry in 5 seconds; a retry with the same Idempotency-Key is safe.`,
      instance: '/v1/messages',
    });
    expect(problemHeaders(problem)).toEqual({
      'Content-Type': PROBLEM_CONTENT_TYPE,
      'Retry-After': '5',
    });
  });

  it('given a failure of its own (a bug, a constraint), then still 500, without Retry-After', () => {
    for (const error of [
      new Error('undefined is not a function'),
      new QueryFailedError('INSERT', [], serverError('23505', 'duplicate key value')),
    ]) {
      const problem = problemOf(error, '/v1/messages');
      expect(problem.status).toBe(500);
      expect(problemHeaders(problem)).toEqual({ 'Content-Type': PROBLEM_CONTENT_TYPE });
    }
  });

  it('given a client error, then no Retry-After', () => {
    const problem = problemOf(ApiError.invalid('bad'), '/v1/messages');
    expect(problemHeaders(problem)).toEqual({ 'Content-Type': PROBLEM_CONTENT_TYPE });
  });
});
