import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { customFieldKeyProblem, type CustomFieldValue } from '../contact.js';
import { echoed } from '../contact-values.js';
import { ContactImportError } from './contact-import-errors.js';
import { contactRowOf, type ContactRowOutcome } from './contact-row.js';

/** How a `custom.<key>:<type>` column types its cells; without a type a cell is a string. */
export const CSV_CUSTOM_FIELD_TYPES = ['string', 'number', 'boolean', 'date'] as const;
export type CsvCustomFieldType = (typeof CSV_CUSTOM_FIELD_TYPES)[number];

const TEXT_COLUMNS = [
  'phone',
  'firstName',
  'lastName',
  'email',
  'companyName',
  'timeZone',
] as const;
type TextColumn = (typeof TEXT_COLUMNS)[number];

type Column =
  | { kind: 'id' }
  | { kind: 'text'; field: TextColumn }
  | { kind: 'tags' }
  | { kind: 'custom'; key: string; type: CsvCustomFieldType; name: string };

const KNOWN_COLUMNS = ['id', ...TEXT_COLUMNS, 'tags', 'custom.<key>'];
const CUSTOM_COLUMN = /^custom\.([^:]*)(?::(.*))?$/su;

/** The CSV's columns, or the one header problem that refuses the import. */
export function csvColumnsOf(header: readonly string[]): Column[] {
  const columns: Column[] = [];
  const seen = new Set<string>();
  header.forEach((cell, index) => {
    const name = cell.trim();
    const at = echoed(name);
    if (name === '')
      throw headerError(`Column ${index + 1} of the header has no name`, `(column ${index + 1})`);
    const column = columnOf(name);
    const target =
      column.kind === 'custom'
        ? `custom.${column.key}`
        : column.kind === 'text'
          ? column.field
          : column.kind;
    if (seen.has(target)) throw headerError(`The column "${at}" appears twice in the header`, at);
    seen.add(target);
    columns.push(column);
  });
  for (const required of ['id', 'phone']) {
    if (!seen.has(required)) throw headerError(`The header has no "${required}" column`, required);
  }
  return columns;
}

function columnOf(name: string): Column {
  if (name === 'id') return { kind: 'id' };
  if (name === 'tags') return { kind: 'tags' };
  if ((TEXT_COLUMNS as readonly string[]).includes(name))
    return { kind: 'text', field: name as TextColumn };
  const custom = CUSTOM_COLUMN.exec(name);
  const at = echoed(name);
  if (custom) {
    const key = custom[1] ?? '';
    const type = custom[2] ?? 'string';
    const keyProblem = customFieldKeyProblem(key);
    if (keyProblem) throw headerError(`The column "${at}": custom field ${keyProblem}`, at);
    if (!(CSV_CUSTOM_FIELD_TYPES as readonly string[]).includes(type)) {
      throw headerError(
        `The column "${at}": the type must be one of ${CSV_CUSTOM_FIELD_TYPES.join(', ')}`,
        at,
      );
    }
    return { kind: 'custom', key, type: type as CsvCustomFieldType, name };
  }
  const sameButCase = KNOWN_COLUMNS.find((known) => known.toLowerCase() === name.toLowerCase());
  const hint = sameButCase ? ` (did you mean "${sameButCase}"?)` : '';
  throw headerError(
    `The column "${at}" is not a contact field${hint}; columns are ${KNOWN_COLUMNS.join(', ')}`,
    at,
  );
}

function headerError(message: string, field: string): ContactImportError {
  return ContactImportError.of('bad_header', message, field);
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/u;

function typedCell(cell: string, type: CsvCustomFieldType): CustomFieldValue | undefined {
  switch (type) {
    case 'string':
      return cell;
    case 'number': {
      const number = NUMBER.test(cell.trim()) ? Number(cell.trim()) : Number.NaN;
      return Number.isFinite(number) ? number : undefined;
    }
    case 'boolean': {
      const word = cell.trim().toLowerCase();
      return word === 'true' ? true : word === 'false' ? false : undefined;
    }
    case 'date':
      // Checked by the contact's rules, which name the field.
      return { date: cell.trim() };
  }
}

const TYPE_MESSAGES: Record<CsvCustomFieldType, string> = {
  string: 'must be text',
  number: 'must be a number such as 12 or -3.5',
  boolean: 'must be true or false',
  date: 'must be a date',
};

/** One CSV record as a contact, or why it is rejected. */
function rowOf(columns: readonly Column[], record: readonly string[]): ContactRowOutcome {
  if (record.length !== columns.length) {
    return {
      error: {
        reason: 'wrong_column_count',
        message: `has ${record.length} cells where the header has ${columns.length} columns`,
      },
    };
  }
  let id = '';
  const input: Record<string, unknown> = {};
  const customFields: Record<string, CustomFieldValue> = {};
  const typeErrors: { field: string; message: string }[] = [];
  columns.forEach((column, index) => {
    const cell = record[index] ?? '';
    // An empty (or blank) cell is an absent field.
    if (cell.trim() === '') return;
    switch (column.kind) {
      case 'id':
        id = cell;
        return;
      case 'text':
        input[column.field] = cell;
        return;
      case 'tags':
        input.tags = cell
          .split(';')
          .map((tag) => tag.trim())
          .filter((tag) => tag !== '');
        return;
      case 'custom': {
        const value = typedCell(cell, column.type);
        if (value === undefined) {
          typeErrors.push({
            field: `customFields.${column.key}`,
            message: `${TYPE_MESSAGES[column.type]} (column ${echoed(column.name)})`,
          });
        } else {
          customFields[column.key] = value;
        }
        return;
      }
    }
  });
  if (Object.keys(customFields).length > 0) input.customFields = customFields;
  return contactRowOf(id, input, typeErrors);
}

export interface CsvReadOptions {
  maxRows: number;
  maxRowLength: number;
}

/**
 * The data rows of a CSV import, numbered from 1, as they are read. The header, empty lines and
 * records of blank cells only are not rows and are not numbered.
 */
export async function* csvContactRows(
  text: AsyncIterable<string>,
  options: CsvReadOptions,
): AsyncGenerator<ContactRowOutcome & { row: number }> {
  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: options.maxRowLength,
  });
  const input = Readable.from(text);
  input.once('error', (error) => parser.destroy(error));
  input.pipe(parser);
  let columns: Column[] | undefined;
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (columns === undefined) {
        columns = csvColumnsOf(record);
        continue;
      }
      // Spreadsheets export trailing ",,," lines: a record of blank cells is a blank line.
      if (record.every((cell) => cell.trim() === '')) continue;
      row += 1;
      if (row > options.maxRows) throw tooManyRows(options.maxRows);
      yield { row, ...rowOf(columns, record) };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      throw ContactImportError.of(
        'malformed_csv',
        `The CSV cannot be read: ${echoed(error.message, 300)}`,
      );
    }
    throw error;
  } finally {
    input.destroy();
    parser.destroy();
  }
  if (columns === undefined)
    throw ContactImportError.of('empty_import', 'The import is empty: no header row, no contacts');
  if (row === 0)
    throw ContactImportError.of('empty_import', 'The import has a header but no contacts');
}

export function tooManyRows(maxRows: number): ContactImportError {
  return ContactImportError.of(
    'too_many_rows',
    `The import has more than ${maxRows} rows (the limit); split it`,
  );
}
