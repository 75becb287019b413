import { CloudEvent, type CloudEventV1, Kafka as KafkaBinding, ValidationError } from 'cloudevents';
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';

/** One domain event as it travels on Kafka: a CloudEvent 1.0 whose data is JSON. */
export interface EventEnvelope<T = unknown> {
  /** ce_id, a UUIDv7 */
  id: string;
  /** ce_type, e.g. 'messaging.MessageQueued.v1' */
  type: string;
  /** ce_source, e.g. '/textplane/messaging' */
  source: string;
  /** ce_subject: the stream id, also the Kafka key */
  subject: string;
  /** ce_time, ISO 8601 */
  time: string;
  /** extension `tenantid` */
  tenantId?: string;
  /** extension `correlationid` */
  correlationId: string;
  /** extension `causationid` */
  causationId?: string;
  /** extension `traceparent` (W3C trace context) */
  traceparent?: string;
  data: T;
}

/** A Kafka message that cannot be read as one of our CloudEvents. */
export class NotACloudEventError extends Error {
  constructor(reason: string, options?: { cause: unknown }) {
    super(`Not a CloudEvent: ${reason}`, options);
    this.name = 'NotACloudEventError';
  }
}

const JSON_CONTENT_TYPE = 'application/json';

// Headers the SDK writes that the Kafka binding does not define: the key already carries the
// partition key, and binary mode carries datacontenttype in `content-type`; other SDKs would
// read these two as extension attributes.
const REDUNDANT_HEADERS = new Set(['ce_partitionkey', 'ce_datacontenttype']);

/**
 * CloudEvents Kafka protocol binding, binary content mode: attributes and extensions in `ce_*`
 * headers, the JSON data as the value, the subject (stream id) as the key so one stream stays
 * on one partition. The record timestamp is left to the producer (append time of publication):
 * a republished old event stamped with its ce_time could fall straight out of retention.
 */
export function toKafkaMessage(event: EventEnvelope): Message {
  const cloudEvent = new CloudEvent<unknown>({
    specversion: '1.0',
    id: event.id,
    type: event.type,
    source: event.source,
    subject: event.subject,
    time: event.time,
    datacontenttype: JSON_CONTENT_TYPE,
    data: event.data,
    correlationid: event.correlationId,
    ...(event.tenantId === undefined ? {} : { tenantid: event.tenantId }),
    ...(event.causationId === undefined ? {} : { causationid: event.causationId }),
    ...(event.traceparent === undefined ? {} : { traceparent: event.traceparent }),
    partitionkey: event.subject,
  });
  const binary = KafkaBinding.binary(cloudEvent);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(binary.headers)) {
    if (REDUNDANT_HEADERS.has(name) || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return { key: event.subject, value: JSON.stringify(event.data), headers };
}

/** Reads a Kafka message written by toKafkaMessage (or any CloudEvents producer with JSON data). */
export function fromKafkaMessage(message: KafkaMessage): EventEnvelope {
  const headers = headersAsText(message.headers);
  const value = message.value?.toString('utf8') ?? null;
  const body = { headers, key: message.key?.toString('utf8') ?? '', value, body: value };
  if (!KafkaBinding.isEvent(body)) {
    throw new NotACloudEventError(
      'the message has no ce_id header (binary mode) or CloudEvents content-type',
    );
  }
  const cloudEvent = decode(body);
  const contentType = cloudEvent.datacontenttype;
  if (contentType === undefined || !contentType.startsWith(JSON_CONTENT_TYPE)) {
    throw new NotACloudEventError(
      `event ${cloudEvent.id} has content type "${contentType ?? '(none)'}", expected ${JSON_CONTENT_TYPE}`,
    );
  }
  if (cloudEvent.specversion !== '1.0') {
    throw new NotACloudEventError(
      `event ${cloudEvent.id} has specversion ${cloudEvent.specversion}`,
    );
  }
  const tenantId = optionalText(cloudEvent, 'tenantid');
  const causationId = optionalText(cloudEvent, 'causationid');
  const traceparent = optionalText(cloudEvent, 'traceparent');
  return {
    id: requiredText(cloudEvent, 'id'),
    type: requiredText(cloudEvent, 'type'),
    source: requiredText(cloudEvent, 'source'),
    subject: requiredText(cloudEvent, 'subject'),
    time: requiredText(cloudEvent, 'time'),
    ...(tenantId === undefined ? {} : { tenantId }),
    correlationId: requiredText(cloudEvent, 'correlationid'),
    ...(causationId === undefined ? {} : { causationId }),
    ...(traceparent === undefined ? {} : { traceparent }),
    data: cloudEvent.data,
  };
}

function decode(body: {
  headers: Record<string, string>;
  key: string;
  value: string | null;
  body: string | null;
}): CloudEventV1<unknown> {
  let decoded: CloudEventV1<unknown> | CloudEventV1<unknown>[];
  try {
    decoded = KafkaBinding.toEvent<unknown>(body);
  } catch (error: unknown) {
    const detail =
      error instanceof ValidationError || error instanceof SyntaxError
        ? error.message
        : String(error);
    throw new NotACloudEventError(detail, { cause: error });
  }
  if (Array.isArray(decoded)) {
    throw new NotACloudEventError('a batch of CloudEvents in one message is not supported');
  }
  return decoded;
}

// kafkajs hands headers over as Buffers; the SDK expects text. A repeated header keeps its
// last value, as Kafka's own clients read it (Headers.lastHeader).
function headersAsText(headers: IHeaders | undefined): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (last === undefined) continue;
    text[name.toLowerCase()] = last.toString();
  }
  return text;
}

function requiredText(event: CloudEventV1<unknown>, attribute: string): string {
  const value = event[attribute];
  if (typeof value !== 'string' || value.length === 0) {
    throw new NotACloudEventError(`attribute "${attribute}" is missing`);
  }
  return value;
}

function optionalText(event: CloudEventV1<unknown>, attribute: string): string | undefined {
  const value = event[attribute];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
