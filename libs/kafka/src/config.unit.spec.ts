import { describe, expect, it } from 'vitest';
import { loadKafkaEnvironment } from './config.js';

describe('loadKafkaEnvironment', () => {
  it('defaults to the local broker', () => {
    expect(loadKafkaEnvironment({}).brokers).toEqual(['127.0.0.1:9092']);
  });

  it('reads a comma-separated broker list', () => {
    expect(loadKafkaEnvironment({ KAFKA_BROKERS: 'a:9092, b:9093' }).brokers).toEqual([
      'a:9092',
      'b:9093',
    ]);
  });

  it('refuses an item that is not host:port', () => {
    expect(() => loadKafkaEnvironment({ KAFKA_BROKERS: 'a:9092,b' })).toThrow(
      /KAFKA_BROKERS must be a comma-separated list of host:port/,
    );
    expect(() => loadKafkaEnvironment({ KAFKA_BROKERS: 'a:99999' })).toThrow(/KAFKA_BROKERS/);
  });
});
