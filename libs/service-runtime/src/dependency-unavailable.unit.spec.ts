import kafkajs from 'kafkajs';
import { QueryFailedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { consumerReadiness, dependencyUnavailable } from './dependency-unavailable.js';

const refusedBroker = new kafkajs.KafkaJSConnectionError(
  'Connection error: connect ECONNREFUSED 127.0.0.1:9092',
  { broker: '127.0.0.1:9092', code: 'ECONNREFUSED' },
);

describe('dependencyUnavailable', () => {
  it('given a Postgres restart under a query, then postgres', () => {
    const terminated = Object.assign(
      new Error('terminating connection due to administrator command'),
      { code: '57P01' },
    );
    expect(dependencyUnavailable(new QueryFailedError('SELECT 1', [], terminated))).toEqual({
      dependency: 'postgres',
      reason: '57P01: terminating connection due to administrator command',
    });
  });

  it('given a broker refusing connections, then kafka, though its error carries a socket code too', () => {
    expect(
      dependencyUnavailable(
        new kafkajs.KafkaJSNumberOfRetriesExceeded(refusedBroker, { retryCount: 5, retryTime: 1 }),
      ),
    ).toEqual({
      dependency: 'kafka',
      reason: 'KafkaJSConnectionError: Connection error: connect ECONNREFUSED 127.0.0.1:9092',
    });
  });

  it('given a failure of the work itself, then none', () => {
    const duplicate = Object.assign(new Error('duplicate key value'), { code: '23505' });
    expect(dependencyUnavailable(new QueryFailedError('INSERT', [], duplicate))).toBeUndefined();
    expect(dependencyUnavailable(new Error('not a valid submission'))).toBeUndefined();
  });
});

describe('consumerReadiness', () => {
  it('given a consumer consuming, then ready', async () => {
    await expect(consumerReadiness({ state: 'consuming' })).resolves.toBeUndefined();
  });

  it('given a consumer waiting on a dependency, then not ready, saying what for and since when', async () => {
    await expect(
      consumerReadiness({
        state: 'waiting',
        dependency: 'postgres',
        reason: '57P03: the database system is starting up',
        since: new Date('2026-12-01T20:15:00.000Z'),
      }),
    ).rejects.toThrow(
      'waiting for postgres since 2026-12-01T20:15:00.000Z: 57P03: the database system is starting up',
    );
  });
});
