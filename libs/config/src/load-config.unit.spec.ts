import { describe, expect, it } from 'vitest';
import { bool, csv, int, nonEmpty, oneOf, optionalNonEmpty, port, url } from './fields.js';
import { ConfigError, loadConfig } from './load-config.js';
import { z } from 'zod';

const schema = z.object({
  GATEWAY_HTTP_PORT: port(8080),
  DATABASE_URL: url({ protocols: ['postgres', 'postgresql'] }),
  KAFKA_BROKERS: csv(['127.0.0.1:9092']),
  OTLP_ENDPOINT: optionalNonEmpty(),
  LOG_LEVEL: oneOf(['debug', 'info', 'warn', 'error'], 'info'),
  SEND_BATCH_SIZE: int({ min: 1, max: 1000, default: 100 }),
  SMART_ENCODING: bool(false),
  TELNYX_API_KEY: nonEmpty(),
});

const validEnv = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/gateway',
  TELNYX_API_KEY: 'KEY0123',
  KAFKA_BROKERS: ' b1:9092, b2:9092 ,',
  SMART_ENCODING: 'YES',
};

function errorOf(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(schema, env, 'gateway');
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('given a good environment, then it parses types and defaults', () => {
    expect(loadConfig(schema, validEnv, 'gateway')).toEqual({
      GATEWAY_HTTP_PORT: 8080,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/gateway',
      KAFKA_BROKERS: ['b1:9092', 'b2:9092'],
      OTLP_ENDPOINT: undefined,
      LOG_LEVEL: 'info',
      SEND_BATCH_SIZE: 100,
      SMART_ENCODING: true,
      TELNYX_API_KEY: 'KEY0123',
    });
  });

  it('given a good environment, then the result is deeply frozen', () => {
    const config = loadConfig(schema, validEnv, 'gateway');
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.KAFKA_BROKERS)).toBe(true);
    expect(() => {
      (config as { GATEWAY_HTTP_PORT: number }).GATEWAY_HTTP_PORT = 1;
    }).toThrow(TypeError);
  });

  it.each([
    [
      { GATEWAY_HTTP_PORT: 'abc' },
      'gateway: invalid configuration: GATEWAY_HTTP_PORT must be an integer between 1 and 65535 (got "abc")',
    ],
    [
      { GATEWAY_HTTP_PORT: '70000' },
      'GATEWAY_HTTP_PORT must be an integer between 1 and 65535 (got "70000")',
    ],
    [
      { DATABASE_URL: 'mysql://db/x' },
      'DATABASE_URL must be a URL starting with postgres:// or postgresql:// (got "mysql://db/x")',
    ],
    [
      { DATABASE_URL: undefined },
      'DATABASE_URL is required and must be a URL starting with postgres:// or postgresql://',
    ],
    [
      { KAFKA_BROKERS: ' , ' },
      'KAFKA_BROKERS must be a comma-separated list of at least one item (got " , ")',
    ],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL must be one of debug, info, warn, error (got "verbose")'],
    [
      { SEND_BATCH_SIZE: '1.5' },
      'SEND_BATCH_SIZE must be an integer between 1 and 1000 (got "1.5")',
    ],
    [{ SMART_ENCODING: 'maybe' }, 'SMART_ENCODING must be a boolean (true or false) (got "maybe")'],
    [{ TELNYX_API_KEY: '  ' }, 'TELNYX_API_KEY is required and must be a non-empty string'],
  ])('given %j, then the error names the variable: %s', (override, expected) => {
    const error = errorOf({ ...validEnv, ...override });
    expect(error.message).toContain(expected);
    expect(error.problems).toHaveLength(1);
  });

  it('given several bad variables, then every one is named', () => {
    const error = errorOf({ GATEWAY_HTTP_PORT: '0', SMART_ENCODING: 'maybe', LOG_LEVEL: 'loud' });
    expect(error.message.startsWith('gateway: invalid configuration: ')).toBe(true);
    expect(error.problems).toEqual([
      'GATEWAY_HTTP_PORT must be an integer between 1 and 65535 (got "0")',
      'DATABASE_URL is required and must be a URL starting with postgres:// or postgresql://',
      'LOG_LEVEL must be one of debug, info, warn, error (got "loud")',
      'SMART_ENCODING must be a boolean (true or false) (got "maybe")',
      'TELNYX_API_KEY is required and must be a non-empty string',
    ]);
  });

  it('given a bad secret built with plain zod, then its value is not echoed', () => {
    const secrets = z.object({ TELNYX_PUBLIC_KEY: z.string().length(44) });
    expect(() => loadConfig(secrets, { TELNYX_PUBLIC_KEY: 'short-secret' }, 'gateway')).toThrow(
      'gateway: invalid configuration: TELNYX_PUBLIC_KEY must be exactly 44 characters long (got a value of 12 characters, hidden)',
    );
    try {
      loadConfig(secrets, { TELNYX_PUBLIC_KEY: 'short-secret' }, 'gateway');
    } catch (error: unknown) {
      expect(String(error)).not.toContain('short-secret');
    }
  });

  it('given a plain zod enum and a missing plain string, then both are named', () => {
    const plain = z.object({ MODE: z.enum(['a', 'b']), NAME: z.string() });
    expect(() => loadConfig(plain, { MODE: 'c' }, 'svc')).toThrow(
      'svc: invalid configuration: MODE must be one of a, b (got "c"); NAME is required (string)',
    );
  });
});

describe('loadConfig wording', () => {
  it("uses a schema's own message for a missing variable", () => {
    const schema = z.object({
      ADMIN_TOKEN: z.string({ error: 'is required: the token that guards the admin API' }),
    });
    expect(() => loadConfig(schema, {}, 'gateway')).toThrow(
      'gateway: invalid configuration: ADMIN_TOKEN is required: the token that guards the admin API',
    );
  });
});
