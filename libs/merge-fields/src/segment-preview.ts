import { countSegments, septetsOf, toSmartEncoding, type SmsEncoding } from '@textplane/segments';
import {
  contactValue,
  type ContactFields,
  type MergeContext,
  type MergeValue,
} from './merge-context.js';
import type { MergeFieldError } from './merge-field-errors.js';
import {
  contextValue,
  type CompiledTemplate,
  type MergeFieldRenderer,
  type MergeVariable,
} from './merge-field-renderer.js';

export interface SegmentEstimate {
  encoding: SmsEncoding;
  segments: number;
  characters: number;
}

/** Compliance additions counted with the rendered text: fixed text, or a function of it. */
export type MessageAdditions =
  { prefix?: string | null; suffix?: string | null } | ((renderedBody: string) => string);

export interface PreviewInput extends Omit<MergeContext, 'contact'> {
  /** The tenant's contacts, or a summary built while streaming them. */
  contacts: Iterable<ContactFields> | ContactValueSummary;
  additions?: MessageAdditions;
  smartEncoding?: boolean;
}

export type SegmentPreview =
  | { ok: true; best: SegmentEstimate; worst: SegmentEstimate }
  | { ok: false; error: MergeFieldError };

/** Distinct values kept per field besides the extremes, so `case`/`if` branches get a chance. */
const SAMPLES_PER_FIELD = 8;
const SEARCH_PASSES = 3;

interface Ranked {
  value: string;
  cost: number;
}

/** What the preview keeps of one contact field over all contacts: extremes, not every value. */
class FieldExtremes {
  hasMissing = false;
  hasNonGsm = false;
  mostSeptets?: Ranked;
  fewestSeptets?: Ranked;
  mostUnits?: Ranked;
  fewestUnits?: Ranked;
  readonly samples = new Set<string>();

  add(value: MergeValue | undefined, smartEncoding: boolean): void {
    if (value === undefined) {
      this.hasMissing = true;
      return;
    }
    const text = String(value);
    const septets = gsmSeptets(smartEncoding ? toSmartEncoding(text) : text);
    if (septets === undefined) this.hasNonGsm = true;
    else {
      this.mostSeptets = pick(this.mostSeptets, { value: text, cost: septets }, 1);
      this.fewestSeptets = pick(this.fewestSeptets, { value: text, cost: septets }, -1);
    }
    this.mostUnits = pick(this.mostUnits, { value: text, cost: text.length }, 1);
    this.fewestUnits = pick(this.fewestUnits, { value: text, cost: text.length }, -1);
    if (this.samples.size < SAMPLES_PER_FIELD) this.samples.add(text);
  }

  /** Every value worth trying, `undefined` standing for "this contact has none". */
  options(): (string | undefined)[] {
    const values = [this.mostSeptets, this.mostUnits, this.fewestSeptets, this.fewestUnits].flatMap(
      (ranked) => (ranked === undefined ? [] : [ranked.value]),
    );
    const options: (string | undefined)[] = [...new Set([...values, ...this.samples])];
    if (this.hasMissing) options.push(undefined);
    return options;
  }
}

/** Higher (direction 1) or lower (-1) cost wins; equal costs go to the smaller string, so order does not matter. */
function pick(current: Ranked | undefined, candidate: Ranked, direction: 1 | -1): Ranked {
  if (current === undefined) return candidate;
  const byCost = (candidate.cost - current.cost) * direction;
  if (byCost !== 0) return byCost > 0 ? candidate : current;
  return candidate.value < current.value ? candidate : current;
}

function gsmSeptets(text: string): number | undefined {
  let septets = 0;
  for (let i = 0; i < text.length; i++) {
    const cost = septetsOf(text.charAt(i));
    if (cost === undefined) return undefined;
    septets += cost;
  }
  return septets;
}

/**
 * Per-field extremes of the tenant's contacts for the contact fields a body uses. Build it while
 * streaming contacts from a store (`add` each), then pass it to `preview` as `contacts`.
 */
export class ContactValueSummary {
  readonly smartEncoding: boolean;
  readonly fields: ReadonlyMap<string, FieldExtremes>;
  contacts = 0;

  /** `keys`: the `contact.<key>` keys the body uses (see `validate`'s variables). */
  constructor(keys: Iterable<string>, options: { smartEncoding?: boolean } = {}) {
    this.smartEncoding = options.smartEncoding ?? false;
    this.fields = new Map([...keys].map((key) => [key, new FieldExtremes()]));
  }

  add(contact: ContactFields): void {
    this.contacts++;
    for (const [key, extremes] of this.fields) {
      extremes.add(contactValue(contact, key), this.smartEncoding);
    }
  }
}

interface Measured extends SegmentEstimate {
  units: number;
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * The UCS-2 count of a text that is itself GSM-7 but must be counted as UCS-2 (the worst case
 * when another contact's value is not GSM-7), with the same rules as @textplane/segments:
 * 70 units in one segment, 67 when concatenated, no grapheme (CR LF apart) split.
 */
function countAsUcs2(text: string): Measured {
  const units: number[] = [];
  for (const { segment } of graphemes.segment(text)) {
    if (segment === '\r\n') units.push(1, 1);
    else units.push(segment.length);
  }
  const total = units.reduce((sum, unit) => sum + unit, 0);
  let segments = total === 0 ? 0 : 1;
  if (total > 70) {
    segments = 1;
    let used = 0;
    for (const unit of units) {
      if (used + unit > 67) {
        segments++;
        used = 0;
      }
      used += unit;
    }
  }
  return { encoding: 'UCS-2', segments, characters: units.length, units: total };
}

function measure(text: string, smartEncoding: boolean, forceUcs2: boolean): Measured {
  const count = countSegments(text, { smartEncoding });
  // A real UCS-2 message is sent as typed: smart encoding only applies when the whole text fits GSM-7.
  if (forceUcs2 && count.encoding === 'GSM-7') return countAsUcs2(text);
  return {
    encoding: count.encoding,
    segments: count.segments,
    characters: count.characters,
    units: count.unitsUsed,
  };
}

function withAdditions(text: string, additions: MessageAdditions | undefined): string {
  if (additions === undefined) return text;
  if (typeof additions === 'function') return additions(text);
  return `${additions.prefix ?? ''}${text}${additions.suffix ?? ''}`;
}

/** Positive when `a` costs more than `b`. */
function compareCost(a: Measured, b: Measured): number {
  return (
    a.segments - b.segments ||
    (a.encoding === b.encoding ? 0 : a.encoding === 'UCS-2' ? 1 : -1) ||
    a.units - b.units ||
    a.characters - b.characters
  );
}

/**
 * The cheapest and costliest texts a body can become across the tenant's contacts, without
 * rendering once per contact: each contact field is reduced to a few candidates (most and fewest
 * septets, most and fewest UTF-16 units, absence, a few distinct values), and a coordinate search
 * over those candidates renders a few dozen texts at most. See README for the approximation.
 */
export function previewSegments(
  renderer: MergeFieldRenderer,
  body: string,
  input: PreviewInput,
): SegmentPreview {
  const compiled = renderer.compile(body);
  if (!('templates' in compiled)) {
    return { ok: false, error: compiled[0] ?? unreachable() };
  }
  const smartEncoding = input.smartEncoding ?? false;
  const contactKeys = compiled.variables.filter((v) => v.root === 'contact').map((v) => v.key);
  const summary = summaryOf(input.contacts, contactKeys, smartEncoding);

  // custom_values and business are the same for every contact.
  const fixed = (variable: MergeVariable): MergeValue | undefined =>
    contextValue({ ...input, contact: null }, variable);

  const forceUcs2 = [...summary.fields.values()].some((field) => field.hasNonGsm);
  const worst = search(compiled, renderer, input, summary, 1, forceUcs2, fixed);
  if (!worst.ok) return worst;
  const best = search(compiled, renderer, input, summary, -1, false, fixed);
  if (!best.ok) return best;
  return { ok: true, worst: estimate(worst.cost), best: estimate(best.cost) };
}

function estimate(cost: Measured): SegmentEstimate {
  return { encoding: cost.encoding, segments: cost.segments, characters: cost.characters };
}

function unreachable(): never {
  throw new Error('merge fields: a failed compile always has an error');
}

function summaryOf(
  contacts: Iterable<ContactFields> | ContactValueSummary,
  keys: readonly string[],
  smartEncoding: boolean,
): ContactValueSummary {
  if (contacts instanceof ContactValueSummary) {
    if (contacts.smartEncoding !== smartEncoding) {
      throw new TypeError('merge fields: the contact summary was built with another smartEncoding');
    }
    const absent = keys.filter((key) => !contacts.fields.has(key));
    if (absent.length > 0) {
      throw new TypeError(`merge fields: the contact summary lacks ${absent.join(', ')}`);
    }
    return contacts;
  }
  const summary = new ContactValueSummary(keys, { smartEncoding });
  for (const contact of contacts) summary.add(contact);
  return summary;
}

type Searched = { ok: true; cost: Measured } | { ok: false; error: MergeFieldError };

function search(
  compiled: CompiledTemplate,
  renderer: MergeFieldRenderer,
  input: PreviewInput,
  summary: ContactValueSummary,
  direction: 1 | -1,
  forceUcs2: boolean,
  fixed: (variable: MergeVariable) => MergeValue | undefined,
): Searched {
  const smartEncoding = input.smartEncoding ?? false;
  const picks = new Map<string, string | undefined>();
  for (const [key, field] of summary.fields) {
    const start =
      direction === 1
        ? forceUcs2
          ? field.mostUnits
          : field.mostSeptets
        : (field.fewestSeptets ?? field.fewestUnits);
    picks.set(key, start?.value);
  }
  const evaluate = (): Searched => {
    const rendered = renderer.renderCompiled(
      compiled,
      (variable) => (variable.root === 'contact' ? picks.get(variable.key) : fixed(variable)),
      input,
    );
    if (!rendered.ok) return rendered;
    const text = withAdditions(rendered.text, input.additions);
    return { ok: true, cost: measure(text, smartEncoding, forceUcs2) };
  };
  let current = evaluate();
  if (!current.ok) return current;
  for (let pass = 0; pass < SEARCH_PASSES; pass++) {
    let improved = false;
    for (const [key, field] of summary.fields) {
      const kept = picks.get(key);
      for (const option of field.options()) {
        if (option === kept) continue;
        const before = picks.get(key);
        picks.set(key, option);
        const trial = evaluate();
        if (trial.ok && compareCost(trial.cost, current.cost) * direction > 0) {
          current = trial;
          improved = true;
        } else picks.set(key, before);
      }
    }
    if (!improved) break;
  }
  return current;
}
