import type { IHeaders, KafkaMessage, Message } from 'kafkajs';

/** Headers a dead-lettered message carries besides its original ones. */
export const DlqHeaders = {
  reason: 'dlq_reason',
  originalTopic: 'dlq_original_topic',
  originalPartition: 'dlq_original_partition',
  originalOffset: 'dlq_original_offset',
  failedAt: 'dlq_failed_at',
  attempts: 'dlq_attempts',
} as const;

const DLQ_HEADER_PREFIX = 'dlq_';

// Kafka headers travel with every fetch of the record; a stack-sized reason is enough.
const MAX_REASON_CHARS = 4096;

export interface DeadLetter {
  topic: string;
  partition: number;
  message: KafkaMessage;
  reason: string;
  /** Handler attempts made; 0 when the message was refused before reaching the handler. */
  attempts: number;
  failedAt: Date;
}

/** The DLQ record: the original key, value and headers, plus why and where it failed. */
export function toDeadLetterMessage(letter: DeadLetter): Message {
  return {
    key: letter.message.key,
    value: letter.message.value,
    headers: {
      ...withoutDlqHeaders(letter.message.headers ?? {}),
      [DlqHeaders.reason]: truncate(letter.reason),
      [DlqHeaders.originalTopic]: letter.topic,
      [DlqHeaders.originalPartition]: String(letter.partition),
      [DlqHeaders.originalOffset]: letter.message.offset,
      [DlqHeaders.failedAt]: letter.failedAt.toISOString(),
      [DlqHeaders.attempts]: String(letter.attempts),
    },
  };
}

/** The message to put back on its original topic: the DLQ record minus the DLQ headers. */
export function toReplayedMessage(dlqMessage: KafkaMessage): { topic: string; message: Message } {
  const headers = dlqMessage.headers ?? {};
  const topic = headerText(headers, DlqHeaders.originalTopic);
  if (topic === undefined) {
    throw new Error(
      `DLQ record at offset ${dlqMessage.offset} has no ${DlqHeaders.originalTopic} header`,
    );
  }
  return {
    topic,
    message: { key: dlqMessage.key, value: dlqMessage.value, headers: withoutDlqHeaders(headers) },
  };
}

export function headerText(headers: IHeaders, name: string): string | undefined {
  const value = headers[name];
  const last = Array.isArray(value) ? value.at(-1) : value;
  return last?.toString();
}

function withoutDlqHeaders(headers: IHeaders): IHeaders {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !name.startsWith(DLQ_HEADER_PREFIX)),
  );
}

function truncate(reason: string): string {
  return reason.length <= MAX_REASON_CHARS ? reason : `${reason.slice(0, MAX_REASON_CHARS)}…`;
}

/** The text of a failure, for dlq_reason and logs. */
export function describeFailure(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
