import { describe, expect, it } from 'vitest';
import { CONTACT_IMPORT_LIMITS, parseContactImport } from './contact-import.js';

const ROWS_PER_CHUNK = 200;

/** A generated CSV import, made chunk by chunk as it is read; `produced` says how far it got. */
function generatedCsv(rows: number) {
  const state = { produced: 0, bytes: 0 };
  async function* source(): AsyncGenerator<Buffer> {
    yield await Promise.resolve(Buffer.from('id,phone,firstName,tags,custom.seats:number\n'));
    for (let start = 0; start < rows; start += ROWS_PER_CHUNK) {
      let text = '';
      const end = Math.min(rows, start + ROWS_PER_CHUNK);
      for (let i = start; i < end; i += 1) {
        const phone = `+1415${String(i).padStart(7, '0')}`;
        text += `crm-${i},${phone},Name ${i},vip;batch-${i % 7},${i % 50}\n`;
      }
      const chunk = Buffer.from(text);
      state.produced = end;
      state.bytes += chunk.byteLength;
      yield chunk;
    }
  }
  return { source: source(), state };
}

describe('a 100,000-row CSV import', () => {
  it('yields every row, reading the input only a little ahead of the rows it has yielded', async () => {
    const rows = CONTACT_IMPORT_LIMITS.maxRows;
    const { source, state } = generatedCsv(rows);
    let count = 0;
    let rejected = 0;
    let furthestAhead = 0;
    let last: unknown;
    for await (const row of parseContactImport(source, 'csv')) {
      count += 1;
      if (row.row !== count) throw new Error(`row ${row.row} came as the ${count}th`);
      if ('error' in row) rejected += 1;
      furthestAhead = Math.max(furthestAhead, state.produced - row.row);
      last = row;
    }
    expect(count).toBe(rows);
    expect(rejected).toBe(0);
    expect(last).toEqual({
      row: rows,
      contact: {
        id: `crm-${rows - 1}`,
        phone: '+14150099999',
        firstName: `Name ${rows - 1}`,
        tags: ['vip', `batch-${(rows - 1) % 7}`],
        customFields: { seats: (rows - 1) % 50 },
      },
    });
    // Streamed: at no point was the source more than a few chunks ahead of the consumer (the
    // streams' buffers), never the whole input (about 5 MB) held before the first row.
    expect(state.bytes).toBeGreaterThan(4_000_000);
    expect(furthestAhead).toBeLessThanOrEqual(ROWS_PER_CHUNK * 40);
  });
});
