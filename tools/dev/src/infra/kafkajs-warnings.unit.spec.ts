import { afterEach, describe, expect, it } from 'vitest';
import { suppressKafkajsTimeoutNegativeWarning } from './kafkajs-warnings.js';

function warningsDuring(action: () => void): Promise<string[]> {
  const names: string[] = [];
  const record = (warning: Error): void => {
    names.push(warning.name);
  };
  process.on('warning', record);
  action();
  // Node emits warnings on the next tick.
  return new Promise((resolve) =>
    setImmediate(() => {
      process.off('warning', record);
      resolve(names);
    }),
  );
}

describe('suppressKafkajsTimeoutNegativeWarning', () => {
  let restore: () => void = () => undefined;
  afterEach(() => restore());

  it('still lets a negative timeout from our own code warn', async () => {
    restore = suppressKafkajsTimeoutNegativeWarning();
    const names = await warningsDuring(() => clearTimeout(setTimeout(() => undefined, -5)));
    expect(names).toContain('TimeoutNegativeWarning');
  });

  it('lets other warnings through', async () => {
    restore = suppressKafkajsTimeoutNegativeWarning();
    const names = await warningsDuring(() =>
      process.emitWarning('careful', 'TextplaneTestWarning'),
    );
    expect(names).toEqual(['TextplaneTestWarning']);
  });

  it('restores the original emitWarning', () => {
    const current = (): unknown => Reflect.get(process, 'emitWarning');
    const original = current();
    restore = suppressKafkajsTimeoutNegativeWarning();
    expect(current()).not.toBe(original);
    restore();
    expect(current()).toBe(original);
  });
});
