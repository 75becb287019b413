import { describe, expect, it } from 'vitest';
import { ApiError } from '../problems/api-error.js';
import { spreadsheetSafe, usageCsv, usageGroupByOf } from './usage-report.js';

describe('usage CSV', () => {
  it.each([
    ['=HYPERLINK("http://x")', `'=HYPERLINK("http://x")`],
    ['+15555550123', `'+15555550123`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tcmd', `'\tcmd`],
    ['\rcmd', `'\rcmd`],
    ['CMP1', 'CMP1'],
    ['2026-12-03', '2026-12-03'],
    ['', ''],
  ])('%j → %j', (cell, safe) => {
    expect(spreadsheetSafe(cell)).toBe(safe);
  });

  it('one header row and one row per group, formula cells prefixed, quotes escaped', () => {
    const csv = usageCsv({
      from: '2026-12-01T00:00:00.000Z',
      to: '2026-12-04T00:00:00.000Z',
      groupBy: 'campaign',
      rows: [
        {
          key: '=cmd|"/c calc"',
          currency: 'USD',
          count: 2,
          segments: 3,
          amount: 33_900,
          carrierFees: 9_000,
          lookups: 0,
        },
        {
          key: null,
          currency: 'USD',
          count: 1,
          segments: 1,
          amount: 8_300,
          carrierFees: 0,
          lookups: 0,
        },
      ],
    });
    expect(csv.split('\r\n')).toEqual([
      'campaign,currency,count,segments,amount,carrierFees,lookups',
      `"'=cmd|""/c calc""",USD,2,3,33900,9000,0`,
      ',USD,1,1,8300,0,0',
      '',
    ]);
  });
});

describe('groupBy', () => {
  it('day by default; each of the six; anything else is 400 naming groupBy', () => {
    expect(usageGroupByOf(undefined)).toBe('day');
    for (const groupBy of ['day', 'sender', 'campaign', 'channel', 'direction', 'bulkSend']) {
      expect(usageGroupByOf(groupBy)).toBe(groupBy);
    }
    try {
      usageGroupByOf('tenant');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).violations).toEqual([
        {
          field: 'groupBy',
          message: 'must be one of day, sender, campaign, channel, direction, bulkSend',
        },
      ]);
    }
  });
});
