import { describe, expect, it } from 'vitest';
import { findInErrorChain, stringProperty } from './error-chain.js';

const codeOf = (candidate: object) => stringProperty(candidate, 'code');

describe('findInErrorChain', () => {
  it('answers for the error itself before anything it wraps', () => {
    const error = Object.assign(new Error('outer', { cause: { code: 'INNER' } }), {
      code: 'OUTER',
    });
    expect(findInErrorChain(error, codeOf)).toBe('OUTER');
  });

  it('follows cause, driverError and an aggregate’s errors', () => {
    expect(findInErrorChain(new Error('x', { cause: { code: 'ECONNRESET' } }), codeOf)).toBe(
      'ECONNRESET',
    );
    expect(
      findInErrorChain({ message: 'query failed', driverError: { code: '57P01' } }, codeOf),
    ).toBe('57P01');
    const aggregate = new AggregateError([new Error('a'), { code: 'ECONNREFUSED' }], 'connect');
    expect(findInErrorChain(aggregate, codeOf)).toBe('ECONNREFUSED');
  });

  it('stops at a cycle and past eight wrappers, and ignores what is not an object', () => {
    const cyclic: { cause?: unknown } = {};
    cyclic.cause = cyclic;
    expect(findInErrorChain(cyclic, codeOf)).toBeUndefined();
    let deep: object = { code: 'DEEP' };
    for (let i = 0; i < 9; i++) deep = { cause: deep };
    expect(findInErrorChain(deep, codeOf)).toBeUndefined();
    let shallow: object = { code: 'SHALLOW' };
    for (let i = 0; i < 8; i++) shallow = { cause: shallow };
    expect(findInErrorChain(shallow, codeOf)).toBe('SHALLOW');
    expect(findInErrorChain('ECONNRESET', codeOf)).toBeUndefined();
    expect(findInErrorChain(null, codeOf)).toBeUndefined();
  });

  it('reads only string properties', () => {
    expect(stringProperty({ code: 42 }, 'code')).toBeUndefined();
    expect(stringProperty({ type: 'NOT_LEADER' }, 'type')).toBe('NOT_LEADER');
  });
});
