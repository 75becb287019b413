import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_KEY_PATTERN, IdempotencyStore, digestBody } from './idempotency-store.js';

function storeAt(start: number, maxEntries = 10) {
  let now = start;
  const store = new IdempotencyStore(maxEntries, () => now, 1_000);
  return { store, advance: (ms: number) => (now += ms) };
}

describe('IdempotencyStore', () => {
  const body = digestBody(Buffer.from('{"to":"+15555550199"}'));
  const otherBody = digestBody(Buffer.from('{"to":"+15555550198"}'));

  it('replays the first answer for the same key and body', () => {
    const { store } = storeAt(0);
    expect(store.lookup('k1', body)).toEqual({ kind: 'new' });
    store.remember('k1', body, 'answer-1');
    expect(store.lookup('k1', body)).toEqual({ kind: 'replay', answer: 'answer-1' });
  });

  it('reports a conflict for the same key with another body', () => {
    const { store } = storeAt(0);
    store.remember('k1', body, 'answer-1');
    expect(store.lookup('k1', otherBody)).toEqual({ kind: 'conflict' });
  });

  it('forgets a key once its time to live has passed', () => {
    const { store, advance } = storeAt(0);
    store.remember('k1', body, 'answer-1');
    advance(999);
    expect(store.lookup('k1', body).kind).toBe('replay');
    advance(1);
    expect(store.lookup('k1', otherBody)).toEqual({ kind: 'new' });
  });

  it('evicts expired keys and keeps at most maxEntries', () => {
    const { store, advance } = storeAt(0, 2);
    store.remember('a', body, '1');
    advance(2_000);
    store.remember('b', body, '2');
    expect(store.size).toBe(1);
    store.remember('c', body, '3');
    store.remember('d', body, '4');
    expect(store.size).toBe(2);
    expect(store.lookup('b', body).kind).toBe('new');
    expect(store.lookup('d', body).kind).toBe('replay');
  });

  it('accepts the documented key alphabet only', () => {
    expect(IDEMPOTENCY_KEY_PATTERN.test('8e03978e-40d5-43e8-bc93-6894a57f9326')).toBe(true);
    expect(IDEMPOTENCY_KEY_PATTERN.test('msg:01J_abc')).toBe(true);
    expect(IDEMPOTENCY_KEY_PATTERN.test('')).toBe(false);
    expect(IDEMPOTENCY_KEY_PATTERN.test('has space')).toBe(false);
    expect(IDEMPOTENCY_KEY_PATTERN.test('x'.repeat(256))).toBe(false);
  });
});
