/**
 * SHAFT (sex, hate, alcohol, firearms, tobacco) plus the categories carriers treat as high risk
 * for A2P messaging. A finding is a flag for review or a block, by tenant policy, not a verdict.
 */
export type RestrictedCategory =
  | 'sex'
  | 'hate'
  | 'alcohol'
  | 'firearms'
  | 'tobacco_vaping'
  | 'cannabis'
  | 'payday_loans'
  | 'debt_relief'
  | 'crypto';

export interface RestrictedFinding {
  category: RestrictedCategory;
  /** The term as written in the body, after NFKC and with any Unicode dash read as `-`. */
  term: string;
}

interface CategoryTerms {
  /** Whole words or phrases; a space matches any run of spaces or hyphens. */
  terms: readonly string[];
  /** Phrases in which a term means something harmless; they are blanked before matching. */
  except?: readonly string[];
}

/** Gardening objects of the verb "weed" ("weed your garden", "weed the beds"). */
const WEEDED = [
  'garden',
  'gardens',
  'garden beds',
  'beds',
  'flower beds',
  'flowerbeds',
  'lawn',
  'yard',
  'borders',
  'patch',
  'plot',
];

/**
 * Deliberately short lists of unambiguous terms. Words with common innocent senses are left out
 * ("pot", "spirits", "sake", "shot", "bullet", "420", "xxx", "hookup") or guarded by `except`.
 * Slurs are not listed here; the hate list holds extremist phrases only.
 */
export const RESTRICTED_TERMS: Readonly<Record<RestrictedCategory, CategoryTerms>> = {
  sex: {
    terms: [
      'sex',
      'sexy',
      'porn',
      'porno',
      'pornography',
      'nude',
      'nudes',
      'nsfw',
      'erotic',
      'onlyfans',
      'escort service',
      'escort services',
      'escorts',
      'strip club',
      'camgirl',
      'camgirls',
      'adult content',
    ],
    except: ['same sex', 'opposite sex'],
  },
  hate: {
    terms: [
      'white power',
      'white supremacy',
      'white supremacist',
      'heil hitler',
      'sieg heil',
      'race war',
      'ethnic cleansing',
      'master race',
    ],
  },
  alcohol: {
    terms: [
      'alcohol',
      'beer',
      'beers',
      'wine',
      'wines',
      'vodka',
      'whiskey',
      'whisky',
      'tequila',
      'rum',
      'gin',
      'bourbon',
      'liquor',
      'booze',
      'cocktail',
      'cocktails',
      'happy hour',
      'brewery',
      'winery',
      'champagne',
      'margarita',
      'margaritas',
      'sangria',
      'mimosa',
      'mimosas',
    ],
    except: [
      'root beer',
      'ginger beer',
      'cocktail dress',
      'cocktail dresses',
      'cocktail attire',
      'shrimp cocktail',
      'fruit cocktail',
      'cocktail sauce',
      'alcohol free',
      'non alcoholic',
      'rubbing alcohol',
      'wine red',
      'wine color',
      'wine colors',
      'wine colored',
      'wine colour',
      'wine colours',
      'wine coloured',
      'gin rummy',
      'cotton gin',
      'cotton gins',
    ],
  },
  firearms: {
    terms: [
      'gun',
      'guns',
      'firearm',
      'firearms',
      'rifle',
      'rifles',
      'pistol',
      'pistols',
      'handgun',
      'handguns',
      'shotgun',
      'shotguns',
      'ammo',
      'ammunition',
      'ar 15',
      'ar15',
      'glock',
      'revolver',
      'concealed carry',
      'gun show',
    ],
    except: [
      'glue gun',
      'nail gun',
      'heat gun',
      'staple gun',
      'caulk gun',
      'caulking gun',
      'spray gun',
      'water gun',
      'squirt gun',
      'nerf gun',
      'top gun',
      'gun metal',
      'massage gun',
      'massage guns',
      'foam gun',
      'bubble gun',
      'glue guns',
      'water guns',
      'shotgun wedding',
      'shotgun weddings',
      'shotgun start',
      'call shotgun',
      'calls shotgun',
      'called shotgun',
      'calling shotgun',
      'ride shotgun',
      'rides shotgun',
      'riding shotgun',
      'rode shotgun',
    ],
  },
  tobacco_vaping: {
    terms: [
      'tobacco',
      'cigarette',
      'cigarettes',
      'cigar',
      'cigars',
      'cigarillo',
      'cigarillos',
      'vape',
      'vapes',
      'vaping',
      'e cig',
      'e cigs',
      'ecig',
      'ecigs',
      'e cigarette',
      'e cigarettes',
      'juul',
      'nicotine',
      'hookah',
      'shisha',
      'snus',
    ],
    except: ['nicotine free', 'quit smoking', 'stop smoking'],
  },
  cannabis: {
    terms: [
      'cannabis',
      'marijuana',
      'weed',
      'thc',
      'cbd',
      'dispensary',
      'dispensaries',
      'edibles',
      'kush',
      'pre roll',
      'pre rolls',
      'delta 8',
      'delta8',
      'hemp flower',
    ],
    except: [
      'weed killer',
      'weed control',
      'weed and feed',
      'weed eater',
      'weed whacker',
      'weed barrier',
      'weed removal',
      'weed prevention',
      'weed out',
      ...['the', 'your', 'my', 'our'].flatMap((d) => WEEDED.map((o) => `weed ${d} ${o}`)),
    ],
  },
  payday_loans: {
    terms: [
      'payday loan',
      'payday loans',
      'cash advance',
      'cash advances',
      'title loan',
      'title loans',
      'paycheck advance',
      'same day loan',
      'same day loans',
      'no credit check loan',
      'no credit check loans',
      'fast cash loan',
    ],
  },
  debt_relief: {
    terms: [
      'debt relief',
      'debt consolidation',
      'debt settlement',
      'debt forgiveness',
      'credit repair',
      'erase your debt',
      'eliminate your debt',
      'reduce your debt',
      'student loan forgiveness',
      'tax debt relief',
    ],
  },
  crypto: {
    terms: [
      'crypto',
      'cryptocurrency',
      'cryptocurrencies',
      'bitcoin',
      'btc',
      'ethereum',
      'dogecoin',
      'altcoin',
      'altcoins',
      'nft',
      'nfts',
      'defi',
      'crypto wallet',
      'memecoin',
      'memecoins',
    ],
  },
};

const CATEGORIES = Object.keys(RESTRICTED_TERMS) as RestrictedCategory[];

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const phrase = (term: string): string =>
  term
    .split(' ')
    .map(escapeRegExp)
    .join(String.raw`[\s\-]+`);

/** Longest first, so "cocktail dress" wins over "cocktail" and "e cigarette" over "e cig". */
const alternation = (terms: readonly string[]): string =>
  [...terms]
    .sort((a, b) => b.length - a.length)
    .map(phrase)
    .join('|');

const wholeWords = (terms: readonly string[]): RegExp =>
  new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${alternation(terms)})(?![\p{L}\p{N}])`, 'giu');

const MATCHERS = CATEGORIES.map((category) => {
  const { terms, except } = RESTRICTED_TERMS[category];
  return {
    category,
    terms: wholeWords(terms),
    except: except === undefined ? null : wholeWords(except),
  };
});

/** Hyphen, non-breaking hyphen, figure dash, en and em dash, horizontal bar, minus sign. */
const DASHES = /[\u2010-\u2015\u2212]/gu;

/** One finding per category (its first term in the body), in the order categories are listed. */
export function findRestrictedContent(body: string): RestrictedFinding[] {
  // NFKC (full-width letters), then any dash as "-", so "e\u2011cig" is "e-cig".
  // Invisible format characters (zero-width space, soft hyphen...) cannot hide a term.
  const text = body
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .replace(DASHES, '-');
  const findings: RestrictedFinding[] = [];
  for (const matcher of MATCHERS) {
    const scanned =
      matcher.except === null ? text : text.replace(matcher.except, (m) => ' '.repeat(m.length));
    const match = scanned.match(new RegExp(matcher.terms.source, 'iu'));
    if (match) findings.push({ category: matcher.category, term: match[0] });
  }
  return findings;
}
