/**
 * What the simulator's number lookup answers, by number pattern: deterministic, so a test picks
 * a recipient by what it should be. For a `+1` number (digits after the `+`):
 *
 * | pattern                                          | `carrier.type` | `portability.line_type` |
 * | ------------------------------------------------ | -------------- | ----------------------- |
 * | area code 800, 833, 844, 855, 866, 877 or 888    | `toll free`    | `toll free`             |
 * | otherwise, last digit 0 or 1                     | `fixed line`   | `landline`              |
 * | otherwise, last digit 2                          | `voip`         | `voip`                  |
 * | otherwise (last digit 3–9)                       | `mobile`       | `wireless`              |
 *
 * and the carrier by the second-to-last digit:
 *
 * | digit | `carrier.name`                           | `carrier.normalized_carrier` |
 * | ----- | ---------------------------------------- | ---------------------------- |
 * | 0–2   | `AT&T Mobility` (fixed line: `AT&T Southwest`) | `AT&T`                 |
 * | 3–5   | `T-Mobile USA, Inc.`                     | `T-Mobile`                   |
 * | 6–8   | `Cellco Partnership dba Verizon Wireless` | `Verizon`                   |
 * | 9     | `Bandwidth.com CLEC`                     | (none)                       |
 *
 * E.g. `+12145550100` is an AT&T landline, `+12065550143` a T-Mobile mobile, `+13125550162` a
 * Verizon VoIP number, `+18885550100` toll-free. A number outside `+1` follows the same digit
 * rules (no toll-free area codes). Not E.164: no answer (400 `10015`).
 */

const TOLL_FREE_AREA_CODES = new Set(['800', '833', '844', '855', '866', '877', '888']);

const E164 = /^\+[1-9]\d{6,14}$/;

export type SimLineType = 'toll free' | 'fixed line' | 'voip' | 'mobile';

interface SimCarrier {
  readonly name: string;
  readonly landlineName: string;
  readonly normalized: string | null;
  readonly spid: string;
}

const CARRIERS: readonly SimCarrier[] = [
  { name: 'AT&T Mobility', landlineName: 'AT&T Southwest', normalized: 'AT&T', spid: '6214' },
  {
    name: 'T-Mobile USA, Inc.',
    landlineName: 'T-Mobile USA, Inc.',
    normalized: 'T-Mobile',
    spid: '6529',
  },
  {
    name: 'Cellco Partnership dba Verizon Wireless',
    landlineName: 'Verizon New York Inc.',
    normalized: 'Verizon',
    spid: '6006',
  },
  {
    name: 'Bandwidth.com CLEC',
    landlineName: 'Bandwidth.com CLEC',
    normalized: null,
    spid: '979E',
  },
];

function lineTypeOf(digits: string): SimLineType {
  if (digits.startsWith('1') && TOLL_FREE_AREA_CODES.has(digits.slice(1, 4))) return 'toll free';
  const last = Number(digits.at(-1));
  if (last <= 1) return 'fixed line';
  if (last === 2) return 'voip';
  return 'mobile';
}

function carrierOf(digits: string): SimCarrier {
  const digit = Number(digits.at(-2));
  const index = digit <= 2 ? 0 : digit <= 5 ? 1 : digit <= 8 ? 2 : 3;
  return CARRIERS[index] ?? CARRIERS[3]!;
}

const PORTABILITY_LINE_TYPE: Readonly<Record<SimLineType, string>> = {
  'toll free': 'toll free',
  'fixed line': 'landline',
  voip: 'voip',
  mobile: 'wireless',
};

/**
 * The `data` of `GET /v2/number_lookup/{phone}?type=carrier` for `phoneNumber`, in Telnyx's shape
 * (developers.telnyx.com, Number Lookup), or null when it is not an E.164 number.
 */
export function simulatedNumberLookup(phoneNumber: string): Record<string, unknown> | null {
  if (!E164.test(phoneNumber)) return null;
  const digits = phoneNumber.slice(1);
  const lineType = lineTypeOf(digits);
  const carrier = carrierOf(digits);
  const name = lineType === 'fixed line' ? carrier.landlineName : carrier.name;
  const nanp = digits.startsWith('1') && digits.length === 11;
  return {
    caller_name: null,
    carrier: {
      error_code: null,
      mobile_country_code: lineType === 'mobile' ? '310' : '',
      mobile_network_code: lineType === 'mobile' ? carrier.spid : '',
      name,
      normalized_carrier: carrier.normalized ?? '',
      type: lineType,
    },
    country_code: nanp ? 'US' : '',
    fraud: null,
    national_format: nanp
      ? `(0${digits.slice(1, 4)}) ${digits.slice(4, 7)}-${digits.slice(7)}`
      : '',
    phone_number: phoneNumber,
    portability: {
      line_type: PORTABILITY_LINE_TYPE[lineType],
      ported_status: 'N',
      ported_date: '',
      spid: carrier.spid,
      spid_carrier_name: name,
      spid_carrier_type: lineType === 'mobile' ? 'WIRELESS' : 'CLEC',
      ocn: carrier.spid,
    },
    record_type: 'number_lookup',
  };
}
