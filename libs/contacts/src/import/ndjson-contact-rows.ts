import { echoed } from '../contact-values.js';
import { ContactImportError } from './contact-import-errors.js';
import { contactRowOf, type ContactRowOutcome } from './contact-row.js';
import { tooManyRows } from './csv-contact-rows.js';

export interface NdjsonReadOptions {
  maxRows: number;
  maxRowLength: number;
}

type Line = { text: string } | { tooLong: true };

/**
 * The lines of a text stream, without their `\n` or `\r\n`. A line longer than `maxLength` is
 * not held: its characters are dropped as they come and it is reported as too long.
 */
async function* linesOf(text: AsyncIterable<string>, maxLength: number): AsyncGenerator<Line> {
  let pending = '';
  let tooLong = false;
  for await (const chunk of text) {
    let start = 0;
    for (let end = chunk.indexOf('\n'); end !== -1; end = chunk.indexOf('\n', start)) {
      const piece = chunk.slice(start, end);
      start = end + 1;
      if (tooLong || pending.length + piece.length > maxLength + 1) {
        tooLong = false;
        pending = '';
        yield { tooLong: true };
        continue;
      }
      const line = pending + piece;
      pending = '';
      yield lineOf(line, maxLength);
    }
    if (!tooLong) {
      pending += chunk.slice(start);
      if (pending.length > maxLength + 1) {
        tooLong = true;
        pending = '';
      }
    }
  }
  if (tooLong) yield { tooLong: true };
  else if (pending !== '') yield lineOf(pending, maxLength);
}

function lineOf(raw: string, maxLength: number): Line {
  const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  return text.length > maxLength ? { tooLong: true } : { text };
}

function rowOf(line: string): ContactRowOutcome {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { error: { reason: 'invalid_json', message: `is not JSON: ${echoed(why, 200)}` } };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      error: {
        reason: 'not_an_object',
        message: 'must be a JSON object {"id": ..., "phone": ...}',
      },
    };
  }
  const record = value as Record<string, unknown>;
  return contactRowOf(record.id, record);
}

/**
 * The data rows of an NDJSON import, numbered from 1, as they are read. Blank lines are skipped
 * and not numbered.
 */
export async function* ndjsonContactRows(
  text: AsyncIterable<string>,
  options: NdjsonReadOptions,
): AsyncGenerator<ContactRowOutcome & { row: number }> {
  let row = 0;
  for await (const line of linesOf(text, options.maxRowLength)) {
    if ('text' in line && line.text.trim() === '') continue;
    row += 1;
    if (row > options.maxRows) throw tooManyRows(options.maxRows);
    if ('tooLong' in line) {
      yield {
        row,
        error: {
          reason: 'row_too_large',
          message: `is longer than ${options.maxRowLength} characters`,
        },
      };
      continue;
    }
    yield { row, ...rowOf(line.text) };
  }
  if (row === 0) throw ContactImportError.of('empty_import', 'The import has no contacts');
}
