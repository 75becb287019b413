import { describe, expect, it } from 'vitest';
import { URL_SHORTENER_DOMAINS, findUrlShorteners } from './url-shorteners.js';

describe('findUrlShorteners', () => {
  it.each([
    ['Sale! https://bit.ly/3xYz', ['bit.ly']],
    ['Sale! bit.ly/3xYz', ['bit.ly']],
    ['See HTTP://BIT.LY/abc today', ['bit.ly']],
    ['www.bit.ly/x', ['bit.ly']],
    ['Visit tinyurl.com/abc.', ['tinyurl.com']],
    ['(t.co/abc)', ['t.co']],
    ['Two: bit.ly/a and https://tinyurl.com/b and bit.ly/c', ['bit.ly', 'tinyurl.com']],
    ['ends with the domain: bit.ly', ['bit.ly']],
    ['https://rebrand.ly/x?utm=1#top', ['rebrand.ly']],
    ['link: "is.gd/abc"', ['is.gd']],
    // Punctuation before the host is a boundary as a reader sees it.
    ['Click...bit.ly/abc', ['bit.ly']],
    ['Deal-bit.ly/x', ['bit.ly']],
    ['link_bit.ly/x', ['bit.ly']],
    ['Sale!bit.ly/x', ['bit.ly']],
    ['Info/bit.ly/x', ['bit.ly']],
    ['//bit.ly/x', ['bit.ly']],
    ['Deals:tinyurl.com/x', ['tinyurl.com']],
    // A subdomain of a shortener is still the shortener.
    ['example.bit.ly/x', ['bit.ly']],
    ['Go to Example.Bit.Ly/x', ['bit.ly']],
  ])('%j → %j', (body, expected) => {
    expect(findUrlShorteners(body)).toEqual(expected);
  });

  it.each([
    'https://bit.lyric.com/song',
    'about.com is a site',
    'https://www.about.com/t',
    'mail me at sales@bit.ly',
    'ops@mail.tinyurl.com',
    'https://example.com/bit.ly',
    'ourbit.ly/abc',
    'https://acme.com/t.co',
    'Store hours 9-5. Call 555-0100.',
    'e.g. i.e. etc.',
    'https://acme.co/offer',
    'shorturl.atlas.io',
    // A letter or digit before the host makes it another domain.
    'rabbit.ly/x',
    'notbit.ly/x',
    '2bit.ly/x',
    'https://rabbit.ly/x',
    // E-mail domains, including ones whose host has a hyphen or a subdomain.
    'sales@deal-bit.ly',
    'ops@mail-x.tinyurl.com',
    'ops@mail.x.tinyurl.com',
    // A host-like segment in a URL path.
    'https://example.com/a/bit.ly',
    'example.com/bit.ly',
    'example.com/a/t.co',
  ])('%j → none', (body) => {
    expect(findUrlShorteners(body)).toEqual([]);
  });

  it.each([
    ['full-width letters and dot', 'Sale! ｂｉｔ．ｌｙ/x', ['bit.ly']],
    [
      'full-width scheme and slashes',
      'Ｈｔｔｐｓ：／／ＴＩＮＹＵＲＬ．ＣＯＭ／ａｂｃ',
      ['tinyurl.com'],
    ],
    ['mixed widths', 'go to bit．ly/x', ['bit.ly']],
    ['full-width host in a URL path', 'ｅｘａｍｐｌｅ．ｃｏｍ／ｂｉｔ．ｌｙ', []],
    ['full-width letter before the host', 'ｒａｂｂｉｔ．ｌｙ/x', []],
  ])('normalises the body (NFKC) first: %s', (_name, body, expected) => {
    expect(findUrlShorteners(body)).toEqual(expected);
  });

  it.each([
    'bitly.com',
    'bit.do',
    'qrco.de',
    'mcaf.ee',
    'su.pr',
    'trib.al',
    'tiny.one',
    'rotf.lol',
    'ift.tt',
    'dlvr.it',
    'snip.ly',
    'shrtco.de',
    'gg.gg',
    'y2u.be',
    'cli.gs',
    'u.to',
    't2m.io',
    'ouo.io',
    'urlz.fr',
    'short.gy',
    'surl.li',
    'cutt.us',
    'kutt.it',
    'x.gd',
  ])('lists the public shortener %s', (domain) => {
    expect(URL_SHORTENER_DOMAINS).toContain(domain);
    expect(findUrlShorteners(`Deal: https://${domain}/abc`)).toEqual([domain]);
  });

  it("does not list bitly.is, Bitly's own branded domain (nobody else can create links on it)", () => {
    expect(URL_SHORTENER_DOMAINS).not.toContain('bitly.is');
  });

  it('matches every listed domain, including subdomains', () => {
    for (const domain of URL_SHORTENER_DOMAINS) {
      expect(findUrlShorteners(`Go https://${domain}/abc now`)).toEqual([domain]);
      expect(findUrlShorteners(`Go sub.${domain}/abc now`)).toEqual([domain]);
    }
  });

  it('lists only lower-case, distinct domains', () => {
    expect(new Set(URL_SHORTENER_DOMAINS).size).toBe(URL_SHORTENER_DOMAINS.length);
    for (const d of URL_SHORTENER_DOMAINS) expect(d).toBe(d.toLowerCase());
  });
});

describe('findUrlShorteners and invisible characters', () => {
  it('finds a host split by a zero-width space or a soft hyphen', () => {
    expect(findUrlShorteners('Go to bit\u00ad.ly/abc')).toEqual(['bit.ly']);
    expect(findUrlShorteners('tiny\u200burl.com/x')).toEqual(['tinyurl.com']);
  });
});
