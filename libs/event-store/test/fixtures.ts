import { randomUUID } from 'node:crypto';
import type { EventMetadata, NewEvent } from '../src/index.js';

export function streamId(prefix = 'stream'): string {
  return `${prefix}-${randomUUID()}`;
}

export function metadata(overrides: Partial<EventMetadata> = {}): EventMetadata {
  return { correlationId: randomUUID(), ...overrides };
}

export function newEvent(type: string, data: unknown = { n: 1 }): NewEvent {
  return { type, data, metadata: metadata() };
}

export function numbered(count: number, type = 'test.Numbered.v1'): NewEvent[] {
  return Array.from({ length: count }, (_, index) => newEvent(type, { n: index + 1 }));
}

export async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
