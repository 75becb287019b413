import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import {
  nextRestartDelay,
  type RestartBackoff,
  type SupervisionClock,
  systemSupervisionClock,
} from './restart-backoff.js';

export type ServiceName =
  'carrier-sim' | 'messaging' | 'consent' | 'registration' | 'billing' | 'gateway';

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ServiceProcessOptions {
  readonly name: ServiceName;
  /** The built entry point, run with this process's own Node binary. */
  readonly entry: string;
  /** Node and V8 options placed before the entry (e.g. heap sizing); default none. */
  readonly execArgv?: readonly string[];
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

/** What a supervisor did about a service that exited without being asked to. */
export type SupervisionEvent =
  | {
      readonly kind: 'restart-scheduled';
      readonly service: ServiceName;
      /** Why: the child exited, or starting the new one failed. */
      readonly cause:
        | { readonly kind: 'exited'; readonly exit: ExitStatus }
        | { readonly kind: 'start-failed'; readonly message: string };
      readonly delayMs: number;
      /** 1 for the first restart of this supervision, and so on. */
      readonly restart: number;
    }
  | {
      readonly kind: 'restarted';
      readonly service: ServiceName;
      readonly pid: number | undefined;
      readonly restart: number;
    };

export interface SupervisionOptions {
  readonly backoff: RestartBackoff;
  readonly onEvent?: (event: SupervisionEvent) => void;
  readonly clock?: SupervisionClock;
}

interface Supervision {
  readonly backoff: RestartBackoff;
  readonly onEvent: (event: SupervisionEvent) => void;
  readonly clock: SupervisionClock;
  lastDelayMs: number | undefined;
  restarts: number;
  cancelPending: (() => void) | undefined;
}

/** One service child process that can be stopped, killed and started again with the same env. */
export class ServiceProcess {
  readonly name: ServiceName;
  readonly logFile: string;
  readonly #options: ServiceProcessOptions;
  #running: Running | undefined;
  #lastExit: ExitStatus | undefined;
  /** True from start() to stop(): an exit in between is unexpected. */
  #wanted = false;
  #supervision: Supervision | undefined;

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
    this.#wanted = true;
    await this.#spawn();
  }

  /**
   * From now on, a child that exits while it should run (not through stop()) is started again
   * after a backoff delay. Stopping the service, or endSupervision(), cancels a pending restart.
   */
  supervise(options: SupervisionOptions): void {
    this.#supervision = {
      backoff: options.backoff,
      onEvent: options.onEvent ?? ((): void => undefined),
      clock: options.clock ?? systemSupervisionClock,
      lastDelayMs: undefined,
      restarts: 0,
      cancelPending: undefined,
    };
  }

  /** Exits are no longer restarted, and a pending restart is dropped. */
  endSupervision(): void {
    this.#supervision?.cancelPending?.();
    this.#supervision = undefined;
  }

  /** Whether a restart waits for its backoff delay. */
  get restartPending(): boolean {
    return this.#supervision?.cancelPending !== undefined;
  }

  async #spawn(): Promise<void> {
    await mkdir(path.dirname(this.logFile), { recursive: true });
    // stop() while a restart was on its way: nothing to start any more.
    if (!this.#wanted) return;
    const log = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(
      process.execPath,
      [...(this.#options.execArgv ?? []), this.#options.entry],
      {
        cwd: this.#options.cwd,
        env: this.#options.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    log.write(
      `--- ${new Date().toISOString()} ${this.name} started (pid ${child.pid ?? '?'}) ---\n`,
    );
    for (const stream of [child.stdout, child.stderr]) {
      if (stream !== null) this.#capture(stream, log);
    }
    const startedAt = (this.#supervision?.clock ?? systemSupervisionClock).now();
    const exited = new Promise<ExitStatus>((resolve) => {
      // 'close' (not 'exit') so the last output lines are in the log before anyone reads it.
      child.once('close', (code, signal) => {
        const status = { code, signal };
        const current = this.#running?.child === child;
        const restart =
          current && this.#wanted
            ? this.#planRestart(startedAt, { kind: 'exited', exit: status })
            : undefined;
        log.end(
          `--- ${new Date().toISOString()} ${this.name} exited (${describeExit(status)})${restart === undefined ? '' : `; restart ${restart.restart} in ${restart.delayMs} ms`} ---\n`,
        );
        this.#lastExit = status;
        if (current) this.#running = undefined;
        resolve(status);
        if (restart !== undefined) this.#scheduleRestart(restart);
      });
    });
    const spawned = new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    this.#running = { child, exited, log };
    await spawned;
  }

  #planRestart(
    startedAt: number,
    cause: Extract<SupervisionEvent, { kind: 'restart-scheduled' }>['cause'],
  ): Extract<SupervisionEvent, { kind: 'restart-scheduled' }> | undefined {
    const supervision = this.#supervision;
    if (supervision === undefined) return undefined;
    const delayMs = nextRestartDelay(
      supervision.backoff,
      supervision.lastDelayMs,
      supervision.clock.now() - startedAt,
    );
    supervision.lastDelayMs = delayMs;
    supervision.restarts += 1;
    return {
      kind: 'restart-scheduled',
      service: this.name,
      cause,
      delayMs,
      restart: supervision.restarts,
    };
  }

  #scheduleRestart(event: Extract<SupervisionEvent, { kind: 'restart-scheduled' }>): void {
    const supervision = this.#supervision;
    if (supervision === undefined) return;
    supervision.onEvent(event);
    supervision.cancelPending = supervision.clock.schedule(event.delayMs, () => {
      supervision.cancelPending = undefined;
      // stop() or endSupervision() since: the restart is no longer wanted.
      if (this.#supervision !== supervision || !this.#wanted || this.#running !== undefined) return;
      const startedAt = supervision.clock.now();
      this.#spawn().then(
        () => {
          if (this.#running === undefined) return;
          supervision.onEvent({
            kind: 'restarted',
            service: this.name,
            pid: this.pid,
            restart: event.restart,
          });
        },
        (error: unknown) => {
          this.#running = undefined;
          // A failed spawn may also close the child, which then planned the restart already.
          if (this.restartPending) return;
          const next = this.#planRestart(startedAt, {
            kind: 'start-failed',
            message: error instanceof Error ? error.message : String(error),
          });
          if (next !== undefined && this.#wanted) this.#scheduleRestart(next);
        },
      );
    });
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
    this.#wanted = false;
    this.#supervision?.cancelPending?.();
    if (this.#supervision !== undefined) this.#supervision.cancelPending = undefined;
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
    this.#wanted = false;
    this.endSupervision();
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
