import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServiceNotReadyError, waitUntilReady } from './readiness.js';
import { defaultRestartBackoff, type SupervisionClock } from './restart-backoff.js';
import { ServiceProcess, type SupervisionEvent } from './service-process.js';

// A stand-in service: listens on a free port, answers /readyz, prints the port.
const readyService = `
import { createServer } from 'node:http';
const server = createServer((req, res) => res.writeHead(req.url === '/readyz' ? 200 : 404).end());
server.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;
const stubbornService = `
setInterval(() => undefined, 1000);
process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
console.log('started');
`;
const crashingService = `
console.error('boom: cannot connect');
process.exit(3);
`;

/**
 * A supervision clock the test drives: restarts wait until the test fires them, so the backoff
 * is the default one and no test waits for it.
 */
class ManualClock implements SupervisionClock {
  nowMs = 0;
  readonly pending: Array<{ readonly delayMs: number; readonly run: () => void }> = [];

  now(): number {
    return this.nowMs;
  }

  schedule(ms: number, run: () => void): () => void {
    const entry = { delayMs: ms, run };
    this.pending.push(entry);
    return () => {
      const index = this.pending.indexOf(entry);
      if (index >= 0) this.pending.splice(index, 1);
    };
  }

  /** Lets time pass to the first pending restart and runs it. */
  fireNext(): void {
    const entry = this.pending.shift();
    if (entry === undefined) throw new Error('no restart is pending');
    this.nowMs += entry.delayMs;
    entry.run();
  }
}

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tp-service-process-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function serviceRunning(
  source: string,
  onLine?: (line: string) => void,
): Promise<ServiceProcess> {
  const entry = path.join(dir, `service-${Math.random().toString(36).slice(2)}.mjs`);
  await writeFile(entry, source);
  const service = new ServiceProcess({
    name: 'messaging',
    entry,
    cwd: dir,
    env: {},
    logFile: path.join(dir, 'logs', 'messaging.log'),
    ...(onLine === undefined ? {} : { onLine: (_name: string, line: string) => onLine(line) }),
  });
  await service.start();
  return service;
}

function portFrom(lines: string[]): Promise<number> {
  return new Promise((resolve) => {
    const check = (): void => {
      const line = lines.find((l) => l.startsWith('listening '));
      if (line === undefined) setTimeout(check, 20);
      else resolve(Number(line.slice('listening '.length)));
    };
    check();
  });
}

describe('ServiceProcess', () => {
  it('runs the entry with the Node and V8 options it was given', async () => {
    const entry = path.join(dir, 'flags.mjs');
    await writeFile(entry, `console.log('execArgv ' + JSON.stringify(process.execArgv));\n`);
    const lines: string[] = [];
    const service = new ServiceProcess({
      name: 'consent',
      entry,
      execArgv: ['--max-semi-space-size=16'],
      cwd: dir,
      env: {},
      logFile: path.join(dir, 'logs', 'consent.log'),
      onLine: (_name, line) => lines.push(line),
    });
    await service.start();
    expect(await service.exited()).toEqual({ code: 0, signal: null });
    expect(lines).toContain('execArgv ["--max-semi-space-size=16"]');
  });

  it('is killed with SIGKILL and restarted with a new pid, both runs in one log', async () => {
    const lines: string[] = [];
    const service = await serviceRunning(readyService, (line) => lines.push(line));
    const firstPid = service.pid;
    await waitUntilReady(service, `http://127.0.0.1:${await portFrom(lines)}/readyz`, 10_000);

    expect(service.kill('SIGKILL')).toBe(true);
    expect(await service.exited()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(service.pid).toBeUndefined();
    expect(service.kill('SIGKILL')).toBe(false);

    lines.length = 0;
    await service.start();
    expect(service.pid).toBeDefined();
    expect(service.pid).not.toBe(firstPid);
    await waitUntilReady(service, `http://127.0.0.1:${await portFrom(lines)}/readyz`, 10_000);
    await service.stop(5_000);
    expect(service.exitStatus).toEqual({ code: 0, signal: null });

    const log = await readFile(service.logFile, 'utf8');
    expect(log.match(/messaging started \(pid \d+\)/g)).toHaveLength(2);
    expect(log).toContain('messaging exited (signal SIGKILL)');
    expect(log).toContain('messaging exited (code 0)');
    expect(log.match(/^listening \d+$/gm)).toHaveLength(2);
  });

  it('escalates to SIGKILL when SIGTERM is ignored past the grace period', async () => {
    const lines: string[] = [];
    const service = await serviceRunning(stubbornService, (line) => lines.push(line));
    await expect.poll(() => lines).toContain('started');
    const started = Date.now();
    await service.stop(300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(service.exitStatus).toEqual({ code: null, signal: 'SIGKILL' });
    expect(lines).toContain('ignoring SIGTERM');
  });
});

describe('ServiceProcess under supervision', () => {
  it('starts a child killed with SIGKILL again after the backoff, and says so in its log', async () => {
    const lines: string[] = [];
    const service = await serviceRunning(readyService, (line) => lines.push(line));
    const clock = new ManualClock();
    const events: SupervisionEvent[] = [];
    service.supervise({ backoff: defaultRestartBackoff, clock, onEvent: (e) => events.push(e) });
    await portFrom(lines);
    const firstPid = service.pid;
    try {
      lines.length = 0;
      expect(service.kill('SIGKILL')).toBe(true);
      await expect.poll(() => clock.pending.length).toBe(1);
      expect(clock.pending[0]?.delayMs).toBe(1_000);
      expect(events).toEqual([
        {
          kind: 'restart-scheduled',
          service: 'messaging',
          cause: { kind: 'exited', exit: { code: null, signal: 'SIGKILL' } },
          delayMs: 1_000,
          restart: 1,
        },
      ]);
      expect(service.pid).toBeUndefined();

      clock.fireNext();
      await expect.poll(() => events.length).toBe(2);
      expect(events[1]).toEqual({
        kind: 'restarted',
        service: 'messaging',
        pid: service.pid,
        restart: 1,
      });
      expect(service.pid).toBeDefined();
      expect(service.pid).not.toBe(firstPid);
      await waitUntilReady(service, `http://127.0.0.1:${await portFrom(lines)}/readyz`, 10_000);

      // Killed again at once: the delay doubles.
      lines.length = 0;
      service.kill('SIGKILL');
      await expect.poll(() => clock.pending.length).toBe(1);
      expect(clock.pending[0]?.delayMs).toBe(2_000);
      clock.fireNext();
      await portFrom(lines);
    } finally {
      await service.stop(5_000);
    }
    expect(service.exitStatus).toEqual({ code: 0, signal: null });
    expect(clock.pending).toEqual([]);
    const log = await readFile(service.logFile, 'utf8');
    expect(log).toContain('messaging exited (signal SIGKILL); restart 1 in 1000 ms');
    expect(log).toContain('messaging exited (signal SIGKILL); restart 2 in 2000 ms');
    expect(log.match(/messaging started \(pid \d+\)/g)).toHaveLength(3);
  });

  it('goes back to the first delay after a stable run', async () => {
    const lines: string[] = [];
    const service = await serviceRunning(readyService, (line) => lines.push(line));
    const clock = new ManualClock();
    service.supervise({ backoff: defaultRestartBackoff, clock });
    try {
      await portFrom(lines);
      for (const expected of [1_000, 2_000, 4_000]) {
        lines.length = 0;
        service.kill('SIGKILL');
        await expect.poll(() => clock.pending.length).toBe(1);
        expect(clock.pending[0]?.delayMs).toBe(expected);
        clock.fireNext();
        await portFrom(lines);
      }
      clock.nowMs += defaultRestartBackoff.stableAfterMs;
      service.kill('SIGKILL');
      await expect.poll(() => clock.pending.length).toBe(1);
      expect(clock.pending[0]?.delayMs).toBe(1_000);
    } finally {
      await service.stop(5_000);
    }
  });

  it('does not start a stopped service again, nor one whose restart was pending', async () => {
    const lines: string[] = [];
    const service = await serviceRunning(readyService, (line) => lines.push(line));
    const clock = new ManualClock();
    const events: SupervisionEvent[] = [];
    service.supervise({ backoff: defaultRestartBackoff, clock, onEvent: (e) => events.push(e) });
    await portFrom(lines);

    await service.stop(5_000);
    expect(service.exitStatus).toEqual({ code: 0, signal: null });
    expect(clock.pending).toEqual([]);
    expect(events).toEqual([]);

    // Started again by hand, crashed, then stopped while its restart waited.
    lines.length = 0;
    await service.start();
    await portFrom(lines);
    service.kill('SIGKILL');
    await expect.poll(() => clock.pending.length).toBe(1);
    expect(service.restartPending).toBe(true);
    await service.stop(5_000);
    expect(clock.pending).toEqual([]);
    expect(service.restartPending).toBe(false);
    expect(service.pid).toBeUndefined();
    expect(events.map((e) => e.kind)).toEqual(['restart-scheduled']);
  });

  it('leaves a killed service down once supervision has ended', async () => {
    const lines: string[] = [];
    const service = await serviceRunning(readyService, (line) => lines.push(line));
    const clock = new ManualClock();
    service.supervise({ backoff: defaultRestartBackoff, clock });
    await portFrom(lines);
    service.endSupervision();
    service.kill('SIGKILL');
    expect(await service.exited()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(clock.pending).toEqual([]);
    expect(service.pid).toBeUndefined();
  });
});

describe('waitUntilReady', () => {
  it('fails at once with the end of the log when the service exits first', async () => {
    const service = await serviceRunning(crashingService);
    const error: unknown = await waitUntilReady(service, 'http://127.0.0.1:9/readyz', 30_000).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServiceNotReadyError);
    expect(String(error)).toMatch(/messaging exited \(code 3\)/);
    expect(String(error)).toContain('boom: cannot connect');
  });

  it('gives up after the timeout, saying what it last got', async () => {
    const service = await serviceRunning(stubbornService);
    try {
      await expect(waitUntilReady(service, 'http://127.0.0.1:9/readyz', 500)).rejects.toThrow(
        /not ready at http:\/\/127\.0\.0\.1:9\/readyz within 500 ms/,
      );
    } finally {
      service.killNow();
      await service.exited();
    }
  });
});
