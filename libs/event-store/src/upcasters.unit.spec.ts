import { describe, expect, it } from 'vitest';
import { upcasters } from './upcasters.js';

describe('upcasters', () => {
  const registry = () =>
    upcasters()
      .registerUpcaster('consent.ConsentGranted.v1', 1, (data) => ({
        ...(data as object),
        channel: 'sms',
      }))
      .registerUpcaster('consent.ConsentGranted.v1', 2, (data) => ({
        ...(data as object),
        source: 'unknown',
      }));

  it('chains every step from the stored version to the current one', () => {
    expect(registry().upcast('consent.ConsentGranted.v1', 1, { phone: '+15551230000' })).toEqual({
      phone: '+15551230000',
      channel: 'sms',
      source: 'unknown',
    });
    expect(registry().upcast('consent.ConsentGranted.v1', 2, { channel: 'mms' })).toEqual({
      channel: 'mms',
      source: 'unknown',
    });
  });

  it('leaves current shapes and unregistered types untouched', () => {
    const data = { phone: '+15551230000' };
    expect(registry().upcast('consent.ConsentGranted.v1', 3, data)).toBe(data);
    expect(registry().upcast('consent.ConsentRevoked.v1', 1, data)).toBe(data);
  });

  it('reports the version new events are written with', () => {
    expect(registry().currentVersion('consent.ConsentGranted.v1')).toBe(3);
    expect(registry().currentVersion('consent.ConsentRevoked.v1')).toBe(1);
  });

  it('refuses a gap in the chain, a duplicate step and a version below 1', () => {
    const gapped = upcasters().registerUpcaster('t', 2, (data) => data);
    expect(() => gapped.upcast('t', 1, {})).toThrow('No upcaster for t from schema version 1');
    expect(() => gapped.registerUpcaster('t', 2, (data) => data)).toThrow('already registered');
    expect(() => upcasters().registerUpcaster('t', 0, (data) => data)).toThrow(RangeError);
  });
});
