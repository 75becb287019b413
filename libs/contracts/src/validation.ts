import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import {
  type EventDataByType,
  type EventType,
  eventContracts,
  isEventType,
} from './event-types.js';

export type ValidationResult = { valid: true } | { valid: false; reason: string };

// ajv-formats is CommonJS; under nodenext its default export arrives as the module object.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020;

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validators = new Map<EventType, ValidateFunction>();

function validatorFor(type: EventType): ValidateFunction {
  let validate = validators.get(type);
  if (!validate) {
    validate = ajv.compile(eventContracts[type].schema);
    validators.set(type, validate);
  }
  return validate;
}

/** Validates an event's data against the JSON Schema of its type and version. */
export function validateEventData(type: string, data: unknown): ValidationResult {
  if (!isEventType(type)) return { valid: false, reason: `unknown event type "${type}"` };
  const validate = validatorFor(type);
  if (validate(data)) return { valid: true };
  const reason = (validate.errors ?? [])
    .map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
    .join('; ');
  return { valid: false, reason: `${type}: ${reason}` };
}

export class InvalidEventError extends Error {
  constructor(readonly reason: string) {
    super(`Event failed its schema: ${reason}`);
    this.name = 'InvalidEventError';
  }
}

/** Throws InvalidEventError unless data matches the schema; narrows the data type. */
export function assertEventData<K extends EventType>(
  type: K,
  data: unknown,
): asserts data is EventDataByType[K] {
  const result = validateEventData(type, data);
  if (!result.valid) throw new InvalidEventError(result.reason);
}
