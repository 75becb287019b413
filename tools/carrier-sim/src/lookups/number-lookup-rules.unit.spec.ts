import { describe, expect, it } from 'vitest';
import { simulatedNumberLookup } from './number-lookup-rules.js';

describe('the simulated number lookup rules (the table in number-lookup-rules.ts)', () => {
  it.each([
    ['+12145550100', 'fixed line', 'landline', 'AT&T Southwest', 'AT&T'],
    ['+12145550141', 'fixed line', 'landline', 'T-Mobile USA, Inc.', 'T-Mobile'],
    ['+13125550162', 'voip', 'voip', 'Cellco Partnership dba Verizon Wireless', 'Verizon'],
    ['+12065550173', 'mobile', 'wireless', 'Cellco Partnership dba Verizon Wireless', 'Verizon'],
    ['+12065550103', 'mobile', 'wireless', 'AT&T Mobility', 'AT&T'],
    ['+12065550139', 'mobile', 'wireless', 'T-Mobile USA, Inc.', 'T-Mobile'],
    ['+12065550143', 'mobile', 'wireless', 'T-Mobile USA, Inc.', 'T-Mobile'],
    ['+12065550199', 'mobile', 'wireless', 'Bandwidth.com CLEC', ''],
    ['+18885550100', 'toll free', 'toll free', 'AT&T Mobility', 'AT&T'],
    [
      '+18335550177',
      'toll free',
      'toll free',
      'Cellco Partnership dba Verizon Wireless',
      'Verizon',
    ],
    ['+447700900123', 'mobile', 'wireless', 'AT&T Mobility', 'AT&T'],
  ])('%s: %s (%s) of %s', (phone, type, portabilityType, name, normalized) => {
    const data = simulatedNumberLookup(phone);
    expect(data).toMatchObject({
      phone_number: phone,
      carrier: { type, name, normalized_carrier: normalized },
      portability: { line_type: portabilityType, spid_carrier_name: name },
      record_type: 'number_lookup',
    });
  });

  it('answers the same every time', () => {
    expect(simulatedNumberLookup('+12065550173')).toEqual(simulatedNumberLookup('+12065550173'));
  });

  it.each(['12065550173', '+0123456789', '+1 206 555 0173', ''])('no answer for %j', (phone) => {
    expect(simulatedNumberLookup(phone)).toBeNull();
  });
});
