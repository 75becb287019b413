import { describe, expect, it } from 'vitest';
import { DevConfigError, loadBenchConfig, loadFuzzConfig, loadStackConfig } from '../config.js';

const key32 = 'k'.repeat(32);

describe('loadStackConfig', () => {
  it('defaults to the documented ports, info logs and no secrets', () => {
    const config = loadStackConfig({});
    expect(config.ports).toEqual({
      gatewayHttp: 8080,
      gatewayGrpc: 50051,
      messagingHttp: 8081,
      consentHttp: 8083,
      registrationHttp: 8085,
      billingHttp: 8087,
      carrierSim: 4010,
    });
    expect(config.logLevel).toBe('info');
    expect(config.demoApiKey).toBeUndefined();
    expect(config.adminToken).toBeUndefined();
    expect(config.demoCreditMicros).toBe(1_000_000_000);
  });

  it.each([
    ['1000', 1_000_000_000],
    ['25.50', 25_500_000],
    ['0.000001', 1],
    ['0', 0],
  ])('reads TEXTPLANE_DEMO_CREDIT %s as %d micro-units', (raw, micros) => {
    expect(loadStackConfig({ TEXTPLANE_DEMO_CREDIT: raw }).demoCreditMicros).toBe(micros);
  });

  it.each(['-5', '1e3', '1.0000001', '10000000', 'ten'])(
    'refuses TEXTPLANE_DEMO_CREDIT %s',
    (raw) => {
      expect(() => loadStackConfig({ TEXTPLANE_DEMO_CREDIT: raw })).toThrow(
        /TEXTPLANE_DEMO_CREDIT/,
      );
    },
  );

  it('reads ports (0 = pick a free one), secrets and the log level', () => {
    const config = loadStackConfig({
      GATEWAY_HTTP_PORT: '0',
      GATEWAY_GRPC_PORT: ' 6000 ',
      MESSAGING_HTTP_PORT: '6001',
      CONSENT_HTTP_PORT: '6003',
      REGISTRATION_HTTP_PORT: '6005',
      BILLING_HTTP_PORT: '6007',
      CARRIER_SIM_PORT: '6002',
      TEXTPLANE_DEMO_API_KEY: key32,
      TEXTPLANE_ADMIN_TOKEN: 'admin-token-0123456789',
      LOG_LEVEL: 'DEBUG',
      PATH: '/usr/bin',
    });
    expect(config.ports).toEqual({
      gatewayHttp: 0,
      gatewayGrpc: 6000,
      messagingHttp: 6001,
      consentHttp: 6003,
      registrationHttp: 6005,
      billingHttp: 6007,
      carrierSim: 6002,
    });
    expect(config.demoApiKey).toBe(key32);
    expect(config.adminToken).toBe('admin-token-0123456789');
    expect(config.logLevel).toBe('debug');
    expect(config.inheritedEnv['PATH']).toBe('/usr/bin');
  });

  it('says how to make a valid demo key when the one given is too short', () => {
    expect(() => loadStackConfig({ TEXTPLANE_DEMO_API_KEY: 'demo' })).toThrow(
      'TEXTPLANE_DEMO_API_KEY must be at least 32 characters (at most 200), got 4: set a longer key (for example: export TEXTPLANE_DEMO_API_KEY=tp_demo_$(openssl rand -hex 16)), or leave it unset to get a generated one',
    );
  });

  it.each([
    [{ GATEWAY_HTTP_PORT: '65536' }, /GATEWAY_HTTP_PORT/],
    [{ CARRIER_SIM_PORT: '80a' }, /CARRIER_SIM_PORT/],
    [{ MESSAGING_HTTP_PORT: '-1' }, /MESSAGING_HTTP_PORT/],
    [{ CONSENT_HTTP_PORT: '8083.5' }, /CONSENT_HTTP_PORT/],
    [{ TEXTPLANE_DEMO_API_KEY: 'short' }, /at least 32 characters \(at most 200\), got 5/],
    [
      { TEXTPLANE_DEMO_API_KEY: 'k'.repeat(201) },
      /at least 32 characters \(at most 200\), got 201/,
    ],
    [{ TEXTPLANE_DEMO_API_KEY: `${'k'.repeat(31)}+/=` }, /only contain letters, digits/],
    [{ LOG_LEVEL: 'verbose' }, /LOG_LEVEL/],
    [{ TEXTPLANE_ADMIN_TOKEN: 'too-short' }, /at least 16/],
  ])('refuses %o', (env, message) => {
    expect(() => loadStackConfig(env)).toThrow(DevConfigError);
    expect(() => loadStackConfig(env)).toThrow(message);
  });
});

describe('loadBenchConfig', () => {
  it('defaults to 10000 messages, 64 in flight, 10 minutes, the default gateway port', () => {
    expect(loadBenchConfig({})).toEqual({
      messages: 10_000,
      concurrency: 64,
      apiKey: undefined,
      adminToken: undefined,
      gatewayHttpPort: 8080,
      deliveryTimeoutMs: 600_000,
    });
  });

  it('prefers BENCH_API_KEY over the demo key', () => {
    const demo = 'd'.repeat(40);
    expect(loadBenchConfig({ TEXTPLANE_DEMO_API_KEY: demo }).apiKey).toBe(demo);
    expect(loadBenchConfig({ TEXTPLANE_DEMO_API_KEY: demo, BENCH_API_KEY: key32 }).apiKey).toBe(
      key32,
    );
  });

  it('reads the sizes and timeout', () => {
    const config = loadBenchConfig({
      BENCH_N: '500',
      BENCH_CONCURRENCY: '8',
      BENCH_TIMEOUT_S: '30',
    });
    expect(config.messages).toBe(500);
    expect(config.concurrency).toBe(8);
    expect(config.deliveryTimeoutMs).toBe(30_000);
  });

  it.each([
    [{ BENCH_N: '0' }, /BENCH_N/],
    [{ BENCH_N: '1.5' }, /BENCH_N/],
    [{ BENCH_N: '1000001' }, /BENCH_N/],
    [{ BENCH_CONCURRENCY: '0' }, /BENCH_CONCURRENCY/],
    [{ BENCH_TIMEOUT_S: 'soon' }, /BENCH_TIMEOUT_S/],
    [{ GATEWAY_HTTP_PORT: '0' }, /GATEWAY_HTTP_PORT/],
  ])('refuses %o', (env, message) => {
    expect(() => loadBenchConfig(env)).toThrow(message);
  });
});

describe('loadFuzzConfig', () => {
  it('defaults to 100 cases per target and a new seed each run', () => {
    expect(loadFuzzConfig({})).toEqual({ runsPerTarget: 100, seed: undefined });
  });

  it('reads FUZZ_RUNS and FUZZ_SEED', () => {
    expect(loadFuzzConfig({ FUZZ_RUNS: '5000', FUZZ_SEED: '-42' })).toEqual({
      runsPerTarget: 5000,
      seed: -42,
    });
  });

  it.each([
    [{ FUZZ_RUNS: '0' }, /FUZZ_RUNS/],
    [{ FUZZ_RUNS: 'many' }, /FUZZ_RUNS/],
    [{ FUZZ_SEED: '1.5' }, /FUZZ_SEED/],
    [{ FUZZ_SEED: '4294967296' }, /FUZZ_SEED/],
  ])('refuses %o', (env, message) => {
    expect(() => loadFuzzConfig(env)).toThrow(message);
  });
});
