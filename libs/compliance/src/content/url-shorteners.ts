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
 * Host names in free text, with or without a scheme. Labels may hold hyphens, so "Deal-bit.ly" is
 * read whole (see `shortenerOf`). A host does not start right after a letter or digit ("rabbit.ly"
 * is its own domain), after `@` (an e-mail domain), or after `.`/`-` that themselves follow a
 * letter or digit (the middle of a longer name, e.g. of "ops@mail-x.tinyurl.com"). Any other
 * punctuation before it is a boundary: "Click...bit.ly", "link_bit.ly". The top-level label must
 * not run on into more letters ("bit.lyric.com" stays whole).
 */
const HOST =
  /(?<![\p{L}\p{N}@])(?<![\p{L}\p{N}][.-])(?:[a-z][a-z0-9+.-]*:\/\/)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63})(?![\p{L}\p{N}_-]|\.[\p{L}\p{N}]|@)/giu;

/**
 * Whether a host that follows `/` is a segment of a URL path ("example.com/bit.ly",
 * "https://acme.com/a/t.co") rather than a link after a slash used as punctuation ("Info/bit.ly",
 * "//bit.ly"): the text since the last whitespace holds a scheme or a dotted name.
 */
function isInUrlPath(body: string, index: number): boolean {
  if (body[index - 1] !== '/') return false;
  const before = /\S*$/u.exec(body.slice(0, index))?.[0] ?? '';
  return before.includes('://') || /[\p{L}\p{N}]\.[\p{L}\p{N}]/u.test(before);
}

/**
 * The listed domain `host` links to: the domain itself, a subdomain of it, or a name whose last
 * hyphen sets it apart the way a reader sees it ("deal-bit.ly" is "Deal-" then "bit.ly").
 */
function shortenerOf(host: string): string | undefined {
  return URL_SHORTENER_DOMAINS.find(
    (d) => host === d || host.endsWith(`.${d}`) || host.endsWith(`-${d}`),
  );
}

/** Distinct shortener domains linked in `body`, in order of first appearance, lower-case. */
export function findUrlShorteners(body: string): string[] {
  const found: string[] = [];
  for (const match of body.matchAll(HOST)) {
    if (isInUrlPath(body, match.index)) continue;
    const domain = shortenerOf((match[1] ?? '').toLowerCase());
    if (domain !== undefined && !found.includes(domain)) found.push(domain);
  }
  return found;
}
