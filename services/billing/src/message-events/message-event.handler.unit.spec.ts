import { describe, expect, it } from 'vitest';
import { numberTypeOf } from './message-event.handler.js';

describe("the tenant's number type of an inbound text", () => {
  it.each([
    '+18005550100',
    '+18335550100',
    '+18445550100',
    '+18555550100',
    '+18665550100',
    '+18775550100',
    '+18885550100',
  ])('%s is NANP toll-free', (number) => {
    expect(numberTypeOf(number)).toBe('toll_free');
  });

  it.each(['+15125550142', '+18995550100', '+18805550100', '+448005550100'])(
    '%s is a long code',
    (number) => {
      expect(numberTypeOf(number)).toBe('long_code');
    },
  );
});
