/**
 * NANP geographic area codes of the United States (50 states, DC, PR, VI, GU, AS, MP) and Canada.
 * Rows: [region code, IANA zone, area codes]. `region` is the USPS state/territory code, or the
 * Canada Post province/territory code for Canadian codes (no collision with US codes).
 *
 * Where an area code spans zones, the row holds the zone of most of its population (the primary
 * zone, shown to users) and `SPLIT_AREA_CODE_ZONES` adds the others; see there.
 * Recent overlays are included as published by NANPA/CNA; non-geographic codes (800s, 500s, 600)
 * and other NANP countries are not: they fall back to the tenant's zone.
 */
const AREA_CODE_ROWS: ReadonlyArray<readonly [region: string, timeZone: string, codes: string]> = [
  ['AL', 'America/Chicago', '205 251 256 334 659 938'],
  ['AK', 'America/Anchorage', '907'],
  ['AZ', 'America/Phoenix', '480 520 602 623 928'],
  ['AR', 'America/Chicago', '327 479 501 870'],
  [
    'CA',
    'America/Los_Angeles',
    '209 213 279 310 323 341 350 369 408 415 424 442 510 530 559 562 619 626 628 650 657 661 669 707 714 738 747 760 805 818 820 831 837 840 858 909 916 925 949 951',
  ],
  ['CO', 'America/Denver', '303 719 720 970 983'],
  ['CT', 'America/New_York', '203 475 860 959'],
  ['DE', 'America/New_York', '302'],
  ['DC', 'America/New_York', '202 771'],
  [
    'FL',
    'America/New_York',
    '239 305 321 324 352 386 407 561 645 656 689 727 728 754 772 786 813 863 904 941 954',
  ],
  ['FL', 'America/Chicago', '448 850'],
  ['GA', 'America/New_York', '229 404 470 478 678 706 762 770 912 943'],
  ['HI', 'Pacific/Honolulu', '808'],
  ['ID', 'America/Boise', '208 986'],
  ['IL', 'America/Chicago', '217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 872'],
  ['IN', 'America/Indiana/Indianapolis', '260 317 463 574 765 812 930'],
  ['IN', 'America/Chicago', '219'],
  ['IA', 'America/Chicago', '319 515 563 641 712'],
  ['KS', 'America/Chicago', '316 620 785 913'],
  ['KY', 'America/New_York', '502 606 859'],
  ['KY', 'America/Chicago', '270 364'],
  ['LA', 'America/Chicago', '225 318 337 504 985'],
  ['ME', 'America/New_York', '207'],
  ['MD', 'America/New_York', '227 240 301 410 443 667'],
  ['MA', 'America/New_York', '339 351 413 508 617 774 781 857 978'],
  ['MI', 'America/Detroit', '231 248 269 313 517 586 616 679 734 810 906 947 989'],
  ['MN', 'America/Chicago', '218 320 507 612 651 763 952'],
  ['MS', 'America/Chicago', '228 601 662 769'],
  ['MO', 'America/Chicago', '314 417 557 573 636 660 816 975'],
  ['MT', 'America/Denver', '406'],
  ['NE', 'America/Chicago', '308 402 531'],
  ['NV', 'America/Los_Angeles', '702 725 775'],
  ['NH', 'America/New_York', '603'],
  ['NJ', 'America/New_York', '201 551 609 640 732 848 856 862 908 973'],
  ['NM', 'America/Denver', '505 575'],
  [
    'NY',
    'America/New_York',
    '212 315 329 332 347 363 516 518 585 607 624 631 646 680 716 718 838 845 914 917 929 934',
  ],
  ['NC', 'America/New_York', '252 336 472 704 743 828 910 919 980 984'],
  ['ND', 'America/Chicago', '701'],
  ['OH', 'America/New_York', '216 220 234 283 326 330 380 419 436 440 513 567 614 740 937'],
  ['OK', 'America/Chicago', '405 539 572 580 918'],
  ['OR', 'America/Los_Angeles', '458 503 541 971'],
  ['PA', 'America/New_York', '215 223 267 272 412 445 484 570 582 610 717 724 814 835 878'],
  ['RI', 'America/New_York', '401'],
  ['SC', 'America/New_York', '803 839 843 854 864'],
  ['SD', 'America/Chicago', '605'],
  ['TN', 'America/New_York', '423 865'],
  ['TN', 'America/Chicago', '615 629 731 901 931'],
  [
    'TX',
    'America/Chicago',
    '210 214 254 281 325 346 361 409 430 432 469 512 682 713 726 737 806 817 830 832 903 936 940 945 956 972 979',
  ],
  ['TX', 'America/Denver', '915'],
  ['UT', 'America/Denver', '385 435 801'],
  ['VT', 'America/New_York', '802'],
  ['VA', 'America/New_York', '276 434 540 571 703 757 804 826 948'],
  ['WA', 'America/Los_Angeles', '206 253 360 425 509 564'],
  ['WV', 'America/New_York', '304 681'],
  ['WI', 'America/Chicago', '262 274 353 414 534 608 715 920'],
  ['WY', 'America/Denver', '307'],
  ['PR', 'America/Puerto_Rico', '787 939'],
  ['VI', 'America/St_Thomas', '340'],
  ['GU', 'Pacific/Guam', '671'],
  ['AS', 'Pacific/Pago_Pago', '684'],
  ['MP', 'Pacific/Saipan', '670'],
  // Canada
  ['AB', 'America/Edmonton', '368 403 587 780 825'],
  ['BC', 'America/Vancouver', '236 250 257 604 672 778'],
  ['MB', 'America/Winnipeg', '204 431 584'],
  ['NB', 'America/Moncton', '428 506'],
  ['NL', 'America/St_Johns', '709 879'],
  ['NS', 'America/Halifax', '782 902'],
  [
    'ON',
    'America/Toronto',
    '226 249 289 343 365 382 416 437 519 548 613 647 683 705 742 753 807 905 942',
  ],
  ['QC', 'America/Toronto', '263 354 367 418 438 450 468 514 579 581 819 873'],
  ['SK', 'America/Regina', '306 474 639'],
  ['YT', 'America/Whitehorse', '867'],
];

/**
 * Further zones of area codes that span more than one (the row's zone stays primary), per zone. Quiet hours
 * hold a number of such a code to the windows of all its zones at once, since the number alone
 * does not say which side of the line the person is on.
 *
 * Source: the prefix-to-zone map of libphonenumber (resources/timezones/map_data.txt, 2018 rate
 * centre data), codes whose exchanges map to more than one zone with different clocks, checked
 * against the county lines; overlays (448, 930, 364, 986, 458) share the area of their parent.
 * Not split: 915 (El Paso and Hudspeth are both Mountain), 432, 931, 260, 402, 806 (one zone in
 * that data), AZ 480/520/602/623 (no DST anywhere in them; only 928 holds the Navajo Nation,
 * which observes DST), and areas that keep another clock unofficially (Kenton OK, Phenix City AL).
 * Canadian codes are not split: their window is the US federal one as a default, see README.
 */
const SPLIT_AREA_CODE_ROWS: ReadonlyArray<readonly [otherZone: string, codes: string]> = [
  // FL: Tallahassee and the Big Bend are Eastern; Pensacola, Panama City Central.
  ['America/New_York', '850 448'],
  // IN: NW Indiana (219) Central, but some exchanges Eastern.
  ['America/New_York', '219'],
  // IN: Evansville's corner (812/930) and Starke County (574) are Central.
  ['America/Chicago', '812 930 574'],
  // KY: 270/364 Central with Eastern exchanges; 606 Eastern with Clinton County Central.
  ['America/New_York', '270 364'],
  ['America/Chicago', '606'],
  // TN: 423 Eastern (Chattanooga, Tri-Cities) with Central counties.
  ['America/Chicago', '423'],
  // MI: the four Upper Peninsula counties on the Wisconsin line are Central.
  ['America/Chicago', '906'],
  // NE, KS, SD, ND: the western ends are Mountain.
  ['America/Denver', '308 620 785 605 701'],
  // ID: the panhandle is Pacific. OR: Malheur County is Mountain (Boise's clock).
  ['America/Los_Angeles', '208 986'],
  ['America/Boise', '541 458'],
  // NV: West Wendover is Mountain.
  ['America/Denver', '775'],
  // AZ: the Navajo Nation observes DST (Mountain), the rest of 928 does not.
  ['America/Denver', '928'],
  // AK: Adak and the western Aleutians are on Hawaii-Aleutian time.
  ['America/Adak', '907'],
];

function buildSplitIndex(): Map<string, readonly string[]> {
  const index = new Map<string, readonly string[]>();
  for (const [zone, codes] of SPLIT_AREA_CODE_ROWS) {
    for (const code of codes.split(' ')) index.set(code, [...(index.get(code) ?? []), zone]);
  }
  return index;
}

const SPLIT_AREA_CODE_ZONES: ReadonlyMap<string, readonly string[]> = buildSplitIndex();

export const CANADIAN_REGIONS: ReadonlySet<string> = new Set([
  'AB',
  'BC',
  'MB',
  'NB',
  'NL',
  'NS',
  'ON',
  'QC',
  'SK',
  'YT',
]);

export interface AreaCodeLocation {
  /** USPS state/territory code, or Canadian province/territory code. */
  state: string;
  /** The zone of most of the code's population: the one to show. */
  timeZone: string;
  /** Every zone the code spans, `timeZone` first; one entry for most codes. */
  timeZones: readonly string[];
}

function buildAreaCodeIndex(): Map<string, AreaCodeLocation> {
  const index = new Map<string, AreaCodeLocation>();
  for (const [state, timeZone, codes] of AREA_CODE_ROWS) {
    for (const code of codes.split(' ')) {
      if (index.has(code)) throw new Error(`area code ${code} listed twice`);
      const others = SPLIT_AREA_CODE_ZONES.get(code) ?? [];
      index.set(code, { state, timeZone, timeZones: [timeZone, ...others] });
    }
  }
  for (const code of SPLIT_AREA_CODE_ZONES.keys()) {
    if (!index.has(code)) throw new Error(`split area code ${code} has no row`);
  }
  return index;
}

export const AREA_CODES: ReadonlyMap<string, AreaCodeLocation> = buildAreaCodeIndex();

const NANP_E164 = /^\+1([2-9]\d{2})[2-9]\d{6}$/;

/**
 * Location of a NANP (+1) number's area code. Accepts E.164, tolerating spaces, dots, dashes and
 * parentheses; anything else (another country code, a non-geographic or unknown code) is null.
 */
export function areaCodeLocation(phone: string): AreaCodeLocation | null {
  const match = NANP_E164.exec(phone.replace(/[\s().-]/g, ''));
  const code = match?.[1];
  return code === undefined ? null : (AREA_CODES.get(code) ?? null);
}
