import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, exitOnConfigError } from './load-config.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('exitOnConfigError', () => {
  it('given a ConfigError, then the message goes to stderr and the process exits 1', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${String(code)}`);
    });

    expect(() =>
      exitOnConfigError(() => {
        throw new ConfigError('gateway', ['PORT must be an integer between 1 and 65535 (got "x")']);
      }),
    ).toThrow('exit 1');
    expect(exit).toHaveBeenCalledWith(1);
    expect(stderr).toHaveBeenCalledWith(
      'gateway: invalid configuration: PORT must be an integer between 1 and 65535 (got "x")\n',
    );
  });

  it('given no error, then the loaded value is returned', () => {
    expect(exitOnConfigError(() => ({ port: 1 }))).toEqual({ port: 1 });
  });

  it('given another error, then it propagates', () => {
    expect(() =>
      exitOnConfigError(() => {
        throw new RangeError('bug');
      }),
    ).toThrow(RangeError);
  });
});
