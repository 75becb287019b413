import { spawn } from 'node:child_process';
import { mkdir, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { freePort } from '../net/free-port.js';
import { untilGone } from './processes.js';

/**
 * A Kafka broker of this test's own (deploy/kafka/kafka.sh on other ports and another cache
 * dir), which it may kill: the shared broker on 9092 is never touched. The jars already
 * resolved under the repository's cache are shared through a symlink, not downloaded again.
 */
export class OwnKafka {
  private constructor(
    private readonly repoRoot: string,
    private readonly inheritedEnv: Readonly<Record<string, string>>,
    private readonly env: Readonly<Record<string, string>>,
    private readonly kafkaDir: string,
    readonly port: number,
  ) {}

  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  static async start(
    repoRoot: string,
    cacheDir: string,
    inheritedEnv: Readonly<Record<string, string>>,
  ): Promise<OwnKafka> {
    const kafkaDir = path.join(cacheDir, 'kafka');
    await mkdir(kafkaDir, { recursive: true });
    // kafka.sh resolves jars into <cache>/kafka/libs unless its marker matches the pom: the
    // repository's resolved libs, marker included, serve this broker as they are.
    const sharedLibs = path.join(repoRoot, '.cache', 'kafka', 'libs');
    await readFile(path.join(sharedLibs, '.complete'), 'utf8').catch(() => {
      throw new Error(`no resolved Kafka jars in ${sharedLibs}: run \`make kafka-start\` once`);
    });
    await symlink(sharedLibs, path.join(kafkaDir, 'libs'));
    const [port, controllerPort] = [await freePort(), await freePort()];
    const kafka = new OwnKafka(
      repoRoot,
      inheritedEnv,
      {
        TEXTPLANE_CACHE: cacheDir,
        KAFKA_PORT: String(port),
        KAFKA_CONTROLLER_PORT: String(controllerPort),
        KAFKA_STOP_TIMEOUT: '10',
      },
      kafkaDir,
      port,
    );
    await kafka.script('start');
    return kafka;
  }

  /** `kill -9` of the broker; after `downMs` it is started again on the same data and ports. */
  async killAndRestart(downMs: number): Promise<{ downForMs: number }> {
    const pid = Number(await readFile(path.join(this.kafkaDir, 'broker.pid'), 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) throw new Error('no broker pid');
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    await untilGone(pid, 30_000);
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.script('start');
    return { downForMs: Date.now() - killedAt };
  }

  stop(): Promise<void> {
    return this.script('stop');
  }

  private script(command: 'start' | 'stop'): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn('bash', [path.join(this.repoRoot, 'deploy/kafka/kafka.sh'), command], {
        cwd: this.repoRoot,
        // KAFKA_BROKERS would make the script leave the broker alone: this one is ours.
        env: { ...withoutKafkaBrokers(this.inheritedEnv), ...this.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.once('error', reject);
      child.once('close', (code) =>
        code === 0 ? resolve() : reject(new Error(`kafka.sh ${command} failed:\n${output}`)),
      );
    });
  }
}

function withoutKafkaBrokers(env: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => name !== 'KAFKA_BROKERS'));
}
