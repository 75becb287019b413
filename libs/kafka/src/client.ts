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
import { fixKafkajsRequestQueueTimer } from './request-queue-timer.js';

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
 * kafkajs with the project's defaults: its request queues do not spin on a 1 ms timer (see
 * fixKafkajsRequestQueueTimer), its logs go to the given logger as JSON at WARN and above,
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
  fixKafkajsRequestQueueTimer();
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
