import { describe, expect, it } from 'vitest';
import { E164_PATTERN } from './schema-parts.js';

describe('phone numbers at the edge', () => {
  const e164 = new RegExp(E164_PATTERN);

  it('takes E.164 numbers, North American ones with exactly ten digits after +1', () => {
    for (const good of ['+15555550123', '+14155550100', '+442071838750', '+33612345678']) {
      expect(e164.test(good), good).toBe(true);
    }
  });

  it('refuses typos and numbers that cannot exist', () => {
    for (const bad of [
      '+1415555',
      '+1555',
      '+141555501001',
      '+10555550123',
      '+11555550123',
      '15555550123',
      '+0555550123',
      '+1 555 555 0123',
      '+4420718387501234',
    ]) {
      expect(e164.test(bad), bad).toBe(false);
    }
  });
});
