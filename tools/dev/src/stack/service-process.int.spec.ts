import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServiceNotReadyError, waitUntilReady } from './readiness.js';
import { ServiceProcess } from './service-process.js';

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
