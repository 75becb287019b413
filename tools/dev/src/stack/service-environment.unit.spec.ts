import { describe, expect, it } from 'vitest';
import { serviceEnvironment } from './start-stack.js';

describe('serviceEnvironment', () => {
  it('limits glibc to two malloc arenas unless the launcher was given another value', () => {
    expect(serviceEnvironment({ PATH: '/usr/bin' }, { PORT: '8080' })).toEqual({
      MALLOC_ARENA_MAX: '2',
      PATH: '/usr/bin',
      PORT: '8080',
    });
    expect(serviceEnvironment({ MALLOC_ARENA_MAX: '4' }, {})['MALLOC_ARENA_MAX']).toBe('4');
  });

  it("lets the stack's own settings override the launcher's, and a caller's extras both", () => {
    const env = serviceEnvironment(
      { PORT: '1', LOG_LEVEL: 'info', KEEP: 'yes' },
      { PORT: '2', LOG_LEVEL: 'debug' },
      { LOG_LEVEL: 'warn' },
    );
    expect(env).toEqual({ MALLOC_ARENA_MAX: '2', PORT: '2', LOG_LEVEL: 'warn', KEEP: 'yes' });
  });
});
