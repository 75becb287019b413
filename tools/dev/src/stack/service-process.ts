import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export type ServiceName = 'carrier-sim' | 'messaging' | 'consent' | 'gateway';

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ServiceProcessOptions {
  readonly name: ServiceName;
  /** The built entry point, run with this process's own Node binary. */
  readonly entry: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** stdout and stderr are appended here, every start marked by a header line. */
  readonly logFile: string;
  /** Also receives each output line, e.g. to echo it with a prefix. */
  readonly onLine?: (service: ServiceName, line: string) => void;
}

interface Running {
  readonly child: ChildProcess;
  readonly exited: Promise<ExitStatus>;
  readonly log: WriteStream;
}

/** One service child process that can be stopped, killed and started again with the same env. */
export class ServiceProcess {
  readonly name: ServiceName;
  readonly logFile: string;
  readonly #options: ServiceProcessOptions;
  #running: Running | undefined;
  #lastExit: ExitStatus | undefined;

  constructor(options: ServiceProcessOptions) {
    this.name = options.name;
    this.logFile = options.logFile;
    this.#options = options;
  }

  /** The current child's pid; undefined before the first start or after it exited. */
  get pid(): number | undefined {
    return this.#running?.child.pid;
  }

  /** How the last child ended, while no child is running. */
  get exitStatus(): ExitStatus | undefined {
    return this.#running === undefined ? this.#lastExit : undefined;
  }

  async start(): Promise<void> {
    if (this.#running !== undefined) throw new Error(`${this.name} is already running`);
    await mkdir(path.dirname(this.logFile), { recursive: true });
    const log = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(process.execPath, [this.#options.entry], {
      cwd: this.#options.cwd,
      env: this.#options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    log.write(
      `--- ${new Date().toISOString()} ${this.name} started (pid ${child.pid ?? '?'}) ---\n`,
    );
    for (const stream of [child.stdout, child.stderr]) {
      if (stream !== null) this.#capture(stream, log);
    }
    const exited = new Promise<ExitStatus>((resolve) => {
      // 'close' (not 'exit') so the last output lines are in the log before anyone reads it.
      child.once('close', (code, signal) => {
        const status = { code, signal };
        log.end(
          `--- ${new Date().toISOString()} ${this.name} exited (${describeExit(status)}) ---\n`,
        );
        this.#lastExit = status;
        if (this.#running?.child === child) this.#running = undefined;
        resolve(status);
      });
    });
    const spawned = new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    this.#running = { child, exited, log };
    await spawned;
  }

  #capture(stream: Readable, log: WriteStream): void {
    stream.pipe(log, { end: false });
    const onLine = this.#options.onLine;
    if (onLine !== undefined) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) =>
        onLine(this.name, line),
      );
    }
  }

  /** Sends a signal to the running child; false when none is running. */
  kill(signal: NodeJS.Signals): boolean {
    return this.#running?.child.kill(signal) ?? false;
  }

  /** Resolves when the current child has exited (at once when none runs). */
  async exited(): Promise<ExitStatus | undefined> {
    return this.#running === undefined ? this.#lastExit : this.#running.exited;
  }

  /** SIGTERM, then SIGKILL when the child is still there after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    const running = this.#running;
    if (running === undefined) return;
    running.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const outcome = await Promise.race([running.exited, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      running.child.kill('SIGKILL');
      await running.exited;
    }
  }

  /** Last resort when this process exits abruptly: no waiting is possible there. */
  killNow(): void {
    this.#running?.child.kill('SIGKILL');
  }

  async logTail(lines: number): Promise<string> {
    try {
      const text = await readFile(this.logFile, 'utf8');
      return text.trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

export function describeExit(status: ExitStatus): string {
  return status.signal !== null ? `signal ${status.signal}` : `code ${String(status.code)}`;
}
