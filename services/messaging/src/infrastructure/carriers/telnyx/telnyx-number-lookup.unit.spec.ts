import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  numberLookupOfTelnyx,
  recipientCarrierOf,
  TelnyxNumberLookup,
} from './telnyx-number-lookup.js';

function testdata(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./testdata/${name}.json`, import.meta.url), 'utf8'));
}

describe('a Telnyx number lookup in textplane terms', () => {
  it.each([
    [
      'number-lookup-mobile',
      {
        outcome: 'found',
        lineType: 'mobile',
        carrier: 'tmobile',
        carrierName: 'T-Mobile USA, Inc.',
        carrierLineType: 'mobile',
      },
    ],
    [
      'number-lookup-landline',
      {
        outcome: 'found',
        lineType: 'landline',
        carrier: 'att',
        carrierName: 'AT&T Southwest - TX',
        carrierLineType: 'fixed line',
      },
    ],
    [
      'number-lookup-voip',
      {
        outcome: 'found',
        lineType: 'voip',
        carrier: 'other',
        carrierName: 'Telnyx/4',
        carrierLineType: 'voip',
      },
    ],
    [
      // No carrier block: the line type and name from the portability data.
      'number-lookup-portability-only',
      {
        outcome: 'found',
        lineType: 'mobile',
        carrier: 'verizon',
        carrierName: 'Cellco Partnership dba Verizon Wireless - NY',
        carrierLineType: 'wireless',
      },
    ],
  ])('%s', (fixture, expected) => {
    expect(numberLookupOfTelnyx(testdata(fixture))).toEqual(expected);
  });

  it.each([
    ['fixed line or mobile', 'unknown'],
    ['toll free', 'toll_free'],
    ['pager', 'unknown'],
  ])('carrier.type %s is %s', (type, lineType) => {
    expect(numberLookupOfTelnyx({ data: { carrier: { type, name: 'X' } } })).toMatchObject({
      lineType,
    });
  });

  it('an answer without data is a failed lookup', () => {
    expect(numberLookupOfTelnyx({})).toEqual({
      outcome: 'failed',
      reason: 'answer_unreadable',
      detail: 'carrier answered the lookup without data',
    });
  });

  it.each([
    ['New Cingular Wireless PCS, LLC', 'att'],
    ['AT&T Mobility', 'att'],
    ['T-Mobile', 'tmobile'],
    ['Sprint Spectrum, L.P.', 'tmobile'],
    ['MetroPCS Communications', 'tmobile'],
    ['Verizon Wireless', 'verizon'],
    ['Cellco Partnership', 'verizon'],
    ['Bandwidth.com CLEC', 'other'],
    ['Matter Communications', 'other'],
  ])('%s is %s', (name, carrier) => {
    expect(recipientCarrierOf(name)).toBe(carrier);
  });
});

describe('TelnyxNumberLookup over HTTP', () => {
  let server: Server;
  let seen: Array<{ method?: string; url?: string; authorization?: string }> = [];
  let answer: { status: number; body: unknown } = { status: 200, body: {} };
  let lookup: TelnyxNumberLookup;

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    lookup = new TelnyxNumberLookup({
      apiKey: 'KEY-lookup-test',
      baseUrl: `http://127.0.0.1:${port}/v2`,
      timeoutMs: 2_000,
    });
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    seen = [];
  });

  it('asks GET /v2/number_lookup/{phone}?type=carrier once, and maps the answer', async () => {
    answer = { status: 200, body: testdata('number-lookup-landline') };
    expect(await lookup.lookUpNumber('+12145550140')).toMatchObject({
      outcome: 'found',
      lineType: 'landline',
      carrier: 'att',
    });
    expect(seen).toEqual([
      {
        method: 'GET',
        // The SDK sends the "+" as it is, as Telnyx's own examples do.
        url: '/v2/number_lookup/+12145550140?type=carrier',
        authorization: 'Bearer KEY-lookup-test',
      },
    ]);
  });

  it('a refused number (422) is carrier_refused with its code, asked once', async () => {
    answer = { status: 422, body: testdata('error-number-lookup-canadian') };
    expect(await lookup.lookUpNumber('+16135550123')).toEqual({
      outcome: 'failed',
      reason: 'carrier_refused',
      detail: '+16135550123 is a Canadian number',
      carrierErrorCode: '10015',
    });
    expect(seen).toHaveLength(1);
  });

  it('429 is carrier_unavailable, not retried by the SDK', async () => {
    answer = { status: 429, body: testdata('error-too-many-requests') };
    expect(await lookup.lookUpNumber('+12065550173')).toMatchObject({
      outcome: 'failed',
      reason: 'carrier_unavailable',
      carrierErrorCode: '10011',
    });
    expect(seen).toHaveLength(1);
  });

  it('no carrier listening is carrier_unavailable', async () => {
    const closed = new TelnyxNumberLookup({
      apiKey: 'KEY',
      baseUrl: 'http://127.0.0.1:1/v2',
      timeoutMs: 1_000,
    });
    expect(await closed.lookUpNumber('+12065550173')).toMatchObject({
      outcome: 'failed',
      reason: 'carrier_unavailable',
    });
  });
});
