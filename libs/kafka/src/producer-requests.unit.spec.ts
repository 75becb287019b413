import { describe, expect, it } from 'vitest';
import { requestsOf } from './producer.js';

const record = (key: string, bytes: number) => ({ key, value: Buffer.alloc(bytes) });

describe('requestsOf', () => {
  it('sends small batches as one request', () => {
    const batch = [
      { topic: 'a', messages: [record('s1', 100), record('s1', 100)] },
      { topic: 'b', messages: [record('s2', 100)] },
    ];
    expect(requestsOf(batch, 1_000)).toEqual([batch]);
  });

  it('cuts a batch over the byte bound into requests, in order, a larger record alone', () => {
    const [r1, r2, r3, r4] = [
      record('s', 400),
      record('s', 400),
      record('s', 2_000),
      record('s', 10),
    ];
    const requests = requestsOf(
      [
        { topic: 'a', messages: [r1, r2] },
        { topic: 'b', messages: [r3, r4] },
      ],
      1_000,
    );
    expect(requests).toEqual([
      [{ topic: 'a', messages: [r1, r2] }],
      [{ topic: 'b', messages: [r3] }],
      [{ topic: 'b', messages: [r4] }],
    ]);
  });
});
