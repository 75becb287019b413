import { describe, expect, it } from 'vitest';
import { HealthRegistry } from './health.js';

describe('HealthRegistry', () => {
  it('given no checks, then live and ready', async () => {
    const health = new HealthRegistry();
    expect(health.liveness()).toEqual({ status: 'ok' });
    await expect(health.readiness()).resolves.toEqual({ status: 'ok', checks: {} });
  });

  it('given one failing check among passing ones, then unavailable with its reason', async () => {
    const health = new HealthRegistry();
    health.addReadinessCheck('postgres', () => Promise.resolve());
    health.addReadinessCheck('kafka', () => Promise.reject(new Error('broker unreachable')));
    await expect(health.readiness()).resolves.toEqual({
      status: 'unavailable',
      checks: { postgres: 'ok', kafka: 'broker unreachable' },
    });
  });

  it('given a check that never settles, then it fails on timeout', async () => {
    const health = new HealthRegistry(20);
    health.addReadinessCheck('stuck', () => new Promise<void>(() => undefined));
    await expect(health.readiness()).resolves.toEqual({
      status: 'unavailable',
      checks: { stuck: 'timed out after 20 ms' },
    });
  });

  it('given a duplicate check name, then it is refused', () => {
    const health = new HealthRegistry();
    health.addReadinessCheck('postgres', () => Promise.resolve());
    expect(() => health.addReadinessCheck('postgres', () => Promise.resolve())).toThrow(
      'already registered',
    );
  });
});
