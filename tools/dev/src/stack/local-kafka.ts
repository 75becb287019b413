import { spawn } from 'node:child_process';
import path from 'node:path';

export type KafkaScriptCommand = 'start' | 'stop' | 'status';

export interface KafkaScriptResult {
  readonly code: number;
  readonly output: string;
}

/**
 * Runs deploy/kafka/kafka.sh, which owns the local broker. Its environment is inherited, so
 * KAFKA_PORT and TEXTPLANE_CACHE apply to it as they do to this process.
 */
export function runKafkaScript(
  repoRoot: string,
  command: KafkaScriptCommand,
  onLine?: (line: string) => void,
): Promise<KafkaScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(repoRoot, 'deploy/kafka/kafka.sh'), command], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      output += text;
      if (onLine !== undefined) {
        for (const line of text.split('\n')) if (line.trim() !== '') onLine(line);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, output }));
  });
}
