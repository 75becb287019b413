const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const normalise = (s: string): string =>
  s
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u02BC]/gu, "'")
    .trim();

/**
 * Whether the body names the brand: case-insensitive, any run of spaces inside the name, and not
 * as part of a longer word ("Acme" is in "ACME's sale" but not in "Acmeville"). A blank brand is
 * never identified.
 */
export function identifiesBrand(body: string, brandName: string): boolean {
  const brand = normalise(brandName);
  if (brand === '') return false;
  const name = brand
    .split(/\s+/u)
    .map(escapeRegExp)
    .join(String.raw`\s+`);
  return new RegExp(String.raw`(?<![\p{L}\p{N}])${name}(?![\p{L}\p{N}])`, 'iu').test(
    normalise(body),
  );
}
