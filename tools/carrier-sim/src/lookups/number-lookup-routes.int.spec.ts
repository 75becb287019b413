import { Telnyx } from 'telnyx';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningCarrierSim, startCarrierSim } from '../server.js';

/** The number-lookup routes over HTTP, through the SDK where textplane calls them. */

let sim: RunningCarrierSim;
let client: Telnyx;
const auth = { authorization: 'Bearer test-key', 'content-type': 'application/json' };

beforeAll(async () => {
  sim = await startCarrierSim({ port: 0, webhookUrl: 'http://127.0.0.1:1/unused' });
  client = new Telnyx({ apiKey: 'test-key', baseURL: `${sim.url}/v2`, maxRetries: 0 });
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await fetch(`${sim.url}/sim/reset`, { method: 'POST' });
});

async function call(method: string, path: string, body?: unknown, headers = auth) {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text === '' ? null : JSON.parse(text)) as Record<string, unknown> | null,
  };
}

async function received(phoneNumber: string): Promise<unknown[]> {
  const answer = await call('GET', `/sim/lookups?phoneNumber=${encodeURIComponent(phoneNumber)}`);
  return (answer.body?.['data'] ?? []) as unknown[];
}

describe('GET /v2/number_lookup/{phone}', () => {
  it("answers the SDK's numberLookup.retrieve by the number's pattern, and logs the call", async () => {
    const landline = await client.numberLookup.retrieve('+12145550140', { type: 'carrier' });
    expect(landline.data).toMatchObject({
      phone_number: '+12145550140',
      carrier: { type: 'fixed line', name: 'T-Mobile USA, Inc.' },
      portability: { line_type: 'landline' },
    });
    const mobile = await client.numberLookup.retrieve('+12065550103', { type: 'carrier' });
    expect(mobile.data?.carrier).toMatchObject({ type: 'mobile', normalized_carrier: 'AT&T' });
    expect(await received('+12145550140')).toEqual([
      {
        phone_number: '+12145550140',
        type: 'carrier',
        received_at: expect.any(String) as unknown,
        answered: 200,
      },
    ]);
  });

  it('takes the + encoded as well', async () => {
    const answer = await call('GET', '/v2/number_lookup/%2B13125550162?type=carrier');
    expect(answer.status).toBe(200);
    expect(answer.body?.['data']).toMatchObject({ carrier: { type: 'voip' } });
  });

  it('401 without a key, 400 for a number that is not E.164', async () => {
    const unauthenticated = await call('GET', '/v2/number_lookup/+12065550173', undefined, {
      authorization: '',
      'content-type': 'application/json',
    });
    expect(unauthenticated.status).toBe(401);
    const bad = await call('GET', '/v2/number_lookup/2065550173');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ errors: [{ code: '10015' }] });
  });

  it('fails the next lookups as armed, for one number or all, then answers again', async () => {
    expect(
      (await call('POST', '/sim/lookups/faults', { mode: 'http_422', phoneNumber: '+16135550123' }))
        .status,
    ).toBe(201);
    expect((await call('POST', '/sim/lookups/faults', { mode: 'http_429', count: 2 })).status).toBe(
      201,
    );
    const refused = await call('GET', '/v2/number_lookup/+16135550123');
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      errors: [{ code: '10015', detail: '+16135550123 is a Canadian number' }],
    });
    const limited = await call('GET', '/v2/number_lookup/+12065550173');
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '1']);
    // Through the SDK the same fault is an APIError with the status.
    await expect(client.numberLookup.retrieve('+12065550173')).rejects.toMatchObject({
      status: 429,
    });
    expect((await call('GET', '/v2/number_lookup/+12065550173')).status).toBe(200);
    expect((await call('GET', '/sim/lookups/faults')).body).toEqual({ data: [] });
    expect(
      ((await received('+12065550173')) as Array<{ answered: number }>).map((r) => r.answered),
    ).toEqual([429, 429, 200]);
  });

  it('refuses a bad fault (400), clears faults, and a reset forgets the log', async () => {
    expect((await call('POST', '/sim/lookups/faults', { mode: 'timeout' })).status).toBe(400);
    expect((await call('POST', '/sim/lookups/faults', { mode: 'http_500', count: 0 })).status).toBe(
      400,
    );
    expect((await call('POST', '/sim/lookups/faults', '{not json')).status).toBe(400);
    await call('POST', '/sim/lookups/faults', { mode: 'http_500' });
    expect((await call('DELETE', '/sim/lookups/faults')).status).toBe(204);
    expect((await call('GET', '/v2/number_lookup/+12065550173')).status).toBe(200);
    await call('POST', '/sim/reset');
    expect(await received('+12065550173')).toEqual([]);
  });

  it('leaves the other routes to the simulator', async () => {
    expect((await call('GET', '/healthz')).status).toBe(200);
    expect((await call('GET', '/v2/number_lookup')).status).toBe(404);
  });
});
