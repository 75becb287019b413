import { createLogger } from '@textplane/observability';
import {
  Kafka,
  type KafkaConfig,
  type LogEntry,
  logLevel,
  Partitioners,
  type Producer,
  type ProducerConfig,
} from 'kafkajs';

/** Where kafkajs and this lib write warnings and errors; a pino logger fits. */
export interface KafkaLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface CreateKafkaOptions {
  clientId: string;
  brokers: string[];
  logger?: KafkaLogger;
}

/**
 * kafkajs with the project's defaults: its logs go to the given logger as JSON at WARN and above,
 * and every producer uses the Java-compatible murmur2 partitioner unless told otherwise, so a
 * stream id lands on the same partition whichever client (Node or JVM) publishes it. Choosing the
 * partitioner explicitly is also what silences kafkajs's "default partitioner changed" notice,
 * without setting KAFKAJS_NO_PARTITIONER_WARNING in the environment.
 */
class TextplaneKafka extends Kafka {
  override producer(config?: ProducerConfig): Producer {
    return super.producer({ createPartitioner: Partitioners.DefaultPartitioner, ...config });
  }
}

export function createKafka(options: CreateKafkaOptions): Kafka {
  ignoreKafkajsNegativeTimeoutWarning();
  const logger = options.logger ?? createLogger(options.clientId, 'warn');
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    logCreator: () => (entry) => routeLog(logger, entry),
  };
  return new TextplaneKafka(config);
}

function routeLog(logger: KafkaLogger, entry: LogEntry): void {
  const { message, ...fields } = entry.log;
  const record = { ...fields, kafkajs: entry.namespace };
  switch (entry.level) {
    case logLevel.ERROR:
      logger.error(record, message);
      return;
    case logLevel.WARN:
      logger.warn(record, message);
      return;
    case logLevel.NOTHING:
    case logLevel.INFO:
    case logLevel.DEBUG:
      return;
  }
}

const NEGATIVE_TIMEOUT_WARNING = 'TimeoutNegativeWarning';
let negativeTimeoutFilterInstalled = false;

/**
 * kafkajs 2.2.4 (in maintenance, no fix released) computes `throttledUntil - Date.now()` in
 * RequestQueue.scheduleCheckPendingRequests with `throttledUntil` initialised to -1, so it calls
 * setTimeout with a large negative delay on every connection. Node always clamped that to 1 ms;
 * since Node 24 it also emits a TimeoutNegativeWarning (tulios/kafkajs#1751). The behaviour is
 * correct, the warning is noise on every start, so it is dropped here, and only when the warning
 * comes from kafkajs's request queue, so a negative timeout elsewhere is still reported (as long
 * as it comes first: Node reports this warning once per process).
 */
function ignoreKafkajsNegativeTimeoutWarning(): void {
  if (negativeTimeoutFilterInstalled) return;
  negativeTimeoutFilterInstalled = true;
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = (warning: string | Error, ...rest: unknown[]): void => {
    if (warningType(warning, rest[0]) === NEGATIVE_TIMEOUT_WARNING && raisedByKafkajs()) return;
    Reflect.apply(emitWarning, undefined, [warning, ...rest]);
  };
}

function warningType(warning: string | Error, typeOrOptions: unknown): string | undefined {
  if (warning instanceof Error) return warning.name;
  if (typeof typeOrOptions === 'string') return typeOrOptions;
  if (typeof typeOrOptions === 'object' && typeOrOptions !== null && 'type' in typeOrOptions) {
    const { type } = typeOrOptions;
    return typeof type === 'string' ? type : undefined;
  }
  return undefined;
}

function raisedByKafkajs(): boolean {
  const stack = new Error().stack ?? '';
  return /kafkajs[\\/]src[\\/]network[\\/]requestQueue/.test(stack);
}
