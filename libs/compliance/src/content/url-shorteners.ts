/**
 * Public URL shorteners. Carriers filter links through shared shorteners because anyone can
 * point them anywhere; a tenant's own branded short domain is fine and is not listed here.
 */
export const URL_SHORTENER_DOMAINS = [
  '1url.com',
  'adf.ly',
  'bit.do',
  'bit.ly',
  'bl.ink',
  'buff.ly',
  'clck.ru',
  'cutt.ly',
  'db.tt',
  'git.io',
  'goo.gl',
  'is.gd',
  'j.mp',
  'lnkd.in',
  'ow.ly',
  'qr.net',
  'rb.gy',
  'rebrand.ly',
  's.id',
  'short.io',
  'shorte.st',
  'shorturl.at',
  'soo.gd',
  't.co',
  't.ly',
  'tiny.cc',
  'tinyurl.com',
  'tr.im',
  'v.gd',
  'x.co',
] as const satisfies readonly string[];

/**
 * Host names in free text, with or without a scheme. A host preceded by `@`, `.`, `/`, a letter or a
 * digit is not taken (not the domain of an e-mail address, a URL path, or the tail of a longer name);
 * the top-level label must not run on into more letters ("bit.lyric.com" stays whole).
 */
const HOST =
  /(?<![\p{L}\p{N}@._/-])(?:[a-z][a-z0-9+.-]*:\/\/)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63})(?![\p{L}\p{N}_-]|\.[\p{L}\p{N}]|@)/giu;

/** Distinct shortener domains linked in `body`, in order of first appearance, lower-case. */
export function findUrlShorteners(body: string): string[] {
  const found: string[] = [];
  for (const match of body.matchAll(HOST)) {
    const host = (match[1] ?? '').toLowerCase();
    const domain = URL_SHORTENER_DOMAINS.find((d) => host === d || host.endsWith(`.${d}`));
    if (domain !== undefined && !found.includes(domain)) found.push(domain);
  }
  return found;
}
