/**
 * Public URL shorteners. Carriers filter links through shared shorteners because anyone can
 * point them anywhere; a tenant's own branded short domain is fine and is not listed here, nor is
 * a company's own (bitly.is, nyti.ms, amzn.to, youtu.be). Some listed ones no longer shorten
 * (1url.com, bit.do, cli.gs, goo.gl, mcaf.ee, qr.net, shrtco.de, soo.gd, su.pr, tr.im, x.co): old
 * links may still be pasted into templates, and blocking a link that no longer works costs
 * nothing.
 */
export const URL_SHORTENER_DOMAINS = [
  '1url.com',
  'adf.ly',
  'bit.do',
  'bit.ly',
  'bitly.com',
  'bl.ink',
  'buff.ly',
  'clck.ru',
  'cli.gs',
  'cutt.ly',
  'cutt.us',
  'db.tt',
  'dlvr.it',
  'gg.gg',
  'git.io',
  'goo.gl',
  'ift.tt',
  'is.gd',
  'j.mp',
  'kutt.it',
  'lnkd.in',
  'mcaf.ee',
  'ouo.io',
  'ow.ly',
  'qr.net',
  'qrco.de',
  'rb.gy',
  'rebrand.ly',
  'rotf.lol',
  's.id',
  'short.gy',
  'short.io',
  'shorte.st',
  'shorturl.at',
  'shrtco.de',
  'snip.ly',
  'soo.gd',
  'su.pr',
  'surl.li',
  't.co',
  't.ly',
  't2m.io',
  'tiny.cc',
  'tiny.one',
  'tinyurl.com',
  'tr.im',
  'trib.al',
  'u.to',
  'urlz.fr',
  'v.gd',
  'x.co',
  'x.gd',
  'y2u.be',
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
  // NFKC first, as the restricted-content check does: "ｂｉｔ．ｌｙ／x" is bit.ly/x.
  // Invisible format characters cannot hide a host either: "bit\u00ad.ly" is bit.ly.
  const text = body.normalize('NFKC').replace(/\p{Cf}/gu, '');
  const found: string[] = [];
  for (const match of text.matchAll(HOST)) {
    if (isInUrlPath(text, match.index)) continue;
    const domain = shortenerOf((match[1] ?? '').toLowerCase());
    if (domain !== undefined && !found.includes(domain)) found.push(domain);
  }
  return found;
}
