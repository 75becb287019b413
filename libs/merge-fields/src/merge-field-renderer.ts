import {
  Drop,
  Liquid,
  LiquidError,
  filters as builtInFilters,
  toValue,
  type Context,
  type FilterImplOptions,
  type Template,
  type Variable,
} from 'liquidjs';
import type {
  BodyPosition,
  MergeFieldError,
  TemplateError,
  TemplateErrorReason,
} from './merge-field-errors.js';
import {
  contactValue,
  isBuiltInContactField,
  isCustomValueKey,
  presentValue,
  type MergeContext,
  type MergeRoot,
  type MergeValue,
} from './merge-context.js';
import { previewSegments, type PreviewInput, type SegmentPreview } from './segment-preview.js';

export interface MergeFieldLimits {
  /** Longest body, in UTF-16 code units, that is parsed at all. */
  parseLimit: number;
  /** Milliseconds one render may take (liquidjs's renderLimit). */
  renderLimit: number;
  /** Characters one render may allocate in filters (liquidjs's memoryLimit). */
  memoryLimit: number;
}

/** Ten UCS-2 segments of body is 670 units; the limits leave room for Liquid markup and values. */
export const DEFAULT_MERGE_FIELD_LIMITS: Readonly<MergeFieldLimits> = Object.freeze({
  parseLimit: 10_000,
  renderLimit: 250,
  memoryLimit: 200_000,
});

/** A variable the body names, at its first use. */
export interface MergeVariable extends BodyPosition {
  /** `contact.first_name`, `custom_values.offer`, `business.name`. */
  name: string;
  root: MergeRoot;
  key: string;
}

export type TemplateValidation =
  | { ok: true; variables: readonly MergeVariable[] }
  | { ok: false; errors: readonly TemplateError[] };

export type RenderResult = { ok: true; text: string } | { ok: false; error: MergeFieldError };

/** The value of each variable for one render; undefined = resolves to nothing. */
export type MergeValueResolver = (variable: MergeVariable) => MergeValue | undefined;

/** A parsed, checked body, ready to render many times. */
export interface CompiledTemplate {
  readonly body: string;
  readonly variables: readonly MergeVariable[];
  readonly templates: Template[];
}

const SUPPORTED_TAGS: ReadonlySet<string> = new Set([
  'if',
  'unless',
  'case',
  'comment',
  'raw',
  '#',
]);

/** Text, number and date filters; array, HTML, JSON and crypto filters make no sense in an SMS. */
const SUPPORTED_FILTERS: readonly string[] = [
  'default',
  'date',
  'append',
  'prepend',
  'capitalize',
  'downcase',
  'upcase',
  'truncate',
  'truncatewords',
  'strip',
  'lstrip',
  'rstrip',
  'strip_newlines',
  'normalize_whitespace',
  'replace',
  'replace_first',
  'replace_last',
  'remove',
  'remove_first',
  'remove_last',
  'slice',
  'size',
  'url_encode',
  'plus',
  'minus',
  'times',
  'divided_by',
  'modulo',
  'round',
  'floor',
  'ceil',
  'abs',
  'at_least',
  'at_most',
];

const KEY_PATTERN = /^[a-z][a-z0-9_]{0,63}$/u;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/u;
const RENDER_ENV = Symbol('merge-fields.render-env');
const COMPILED_CACHE_SIZE = 500;

interface RenderEnv {
  timeZone: string;
  now: Date;
}

/** Stands for a variable that resolves to nothing: falsy in `if`, replaced by `default`. */
class MissingValue extends Drop {
  constructor(readonly variable: string) {
    super();
  }
  override valueOf(): null {
    return null;
  }
}

/** Thrown when a missing value reaches the output; caught and turned into a result. */
class MissingValueReachedOutput extends Error {
  constructor(readonly variable: string) {
    super(`no value for ${variable}`);
  }
}

type FilterFunction = (this: { context: Context }, value: unknown, ...args: unknown[]) => unknown;

function missingAmong(value: unknown, args: readonly unknown[]): MissingValue | undefined {
  if (value instanceof MissingValue) return value;
  for (const arg of args) {
    const argValue: unknown = Array.isArray(arg) ? arg[1] : arg; // keyword arguments are [name, value]
    if (argValue instanceof MissingValue) return argValue;
  }
  return undefined;
}

/** A missing value stays missing through filters, so `{{ x | upcase }}` still names `x`. */
function propagatingMissing(handler: FilterFunction): FilterFunction {
  return function (this: { context: Context }, value: unknown, ...args: unknown[]): unknown {
    return missingAmong(value, args) ?? handler.call(this, value, ...args);
  };
}

const builtInDate = builtInFilters['date'] as FilterFunction;

/**
 * `date` in the recipient's zone (or the zone given as its second argument), with `"now"` and
 * `"today"` read from the injected clock. A date without a time (`2024-03-05`, a custom field of
 * type date) is a calendar date and is shown as is, never shifted by a zone.
 */
function zonedDate(
  this: { context: Context },
  value: unknown,
  format?: unknown,
  zone?: unknown,
): unknown {
  const missing = missingAmong(value, [format, zone]);
  if (missing !== undefined) return missing;
  const env = (this.context.globals as Record<symbol, RenderEnv | undefined>)[RENDER_ENV];
  if (env === undefined) throw new Error('date filter used outside a merge-field render');
  let input: unknown = toValue(value);
  if (input === 'now' || input === 'today') input = env.now;
  const timeZone =
    typeof input === 'string' && DATE_ONLY.test(input) ? 'UTC' : (zone ?? env.timeZone);
  return builtInDate.call(this, input, format, timeZone);
}

function outputOf(value: unknown): string {
  if (value instanceof MissingValue) throw new MissingValueReachedOutput(value.variable);
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // Only merge values and filter results reach the output; anything else is a bug here.
  throw new TypeError(`merge fields: cannot output a ${typeof value}`);
}

function positionAt(body: string, offset: number): BodyPosition {
  const before = body.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function liquidPosition(error: unknown): BodyPosition {
  if (error instanceof LiquidError) {
    const [line, column] = error.token.getPosition();
    if (line !== undefined && column !== undefined) return { line, column };
  }
  return { line: 1, column: 1 };
}

function withoutLiquidPosition(message: string): string {
  return message.replace(/, line:\d+, col:\d+$/u, '');
}

function templateError(
  reason: TemplateErrorReason,
  message: string,
  position: BodyPosition,
  variable?: string,
): TemplateError {
  return {
    code: 'invalid_template',
    reason,
    message,
    line: position.line,
    column: position.column,
    ...(variable === undefined ? {} : { variable }),
  };
}

function parseFailure(error: unknown): TemplateError {
  const position = liquidPosition(error);
  const message = withoutLiquidPosition(error instanceof Error ? error.message : String(error));
  const tag = /^tag "([^"]+)" not found/u.exec(message);
  if (tag !== null) {
    return templateError(
      'unsupported_tag',
      `the {% ${tag[1]} %} tag is not supported in message templates (use if, unless or case)`,
      position,
    );
  }
  const filter = /^undefined filter: (\S+)/u.exec(message);
  if (filter !== null) {
    return templateError(
      'unsupported_filter',
      `the ${filter[1]} filter is not supported in message templates`,
      position,
    );
  }
  if (/limit exceeded/u.test(message)) return templateError('limit_exceeded', message, position);
  return templateError('syntax', message, position);
}

function renderFailure(error: unknown): MergeFieldError {
  const position = liquidPosition(error);
  const cause: unknown = error instanceof LiquidError ? error.originalError : error;
  if (cause instanceof MissingValueReachedOutput) {
    return {
      code: 'missing_merge_value',
      variable: cause.variable,
      message: `no value for ${cause.variable}, and no default (add | default: "...")`,
      ...position,
    };
  }
  const message = withoutLiquidPosition(error instanceof Error ? error.message : String(error));
  if (/limit exceeded/u.test(message)) return templateError('limit_exceeded', message, position);
  return templateError('render_error', message, position);
}

/** Checks one variable reference: a known root and exactly one literal field name. */
function checkVariable(variable: Variable): MergeVariable | TemplateError {
  const position = { line: variable.location.row, column: variable.location.col };
  const written = variable.toString();
  const [root, key, ...rest] = variable.segments;
  if (root !== 'contact' && root !== 'custom_values' && root !== 'business') {
    return templateError(
      'unknown_variable',
      `unknown variable ${written}: a merge field starts with contact., custom_values. or business.`,
      position,
      written,
    );
  }
  if (typeof key !== 'string' || rest.length > 0) {
    return templateError(
      'unknown_variable',
      `${written} is not a merge field: write ${root}.<field>, as in ${root === 'business' ? 'business.name' : `${root}.first_name`}`,
      position,
      written,
    );
  }
  const known =
    root === 'contact'
      ? isBuiltInContactField(key) || KEY_PATTERN.test(key)
      : root === 'custom_values'
        ? isCustomValueKey(key)
        : key === 'name';
  if (!known) {
    const hint =
      root === 'business'
        ? 'the business has only business.name'
        : 'field names match ^[a-z][a-z0-9_]{0,63}$';
    return templateError(
      'unknown_variable',
      `unknown variable ${written}: ${hint}`,
      position,
      written,
    );
  }
  return { name: `${root}.${key}`, root, key, ...position };
}

/** The value of a variable in one context; undefined = resolves to nothing. */
export function contextValue(
  context: MergeContext,
  variable: Pick<MergeVariable, 'root' | 'key'>,
): MergeValue | undefined {
  switch (variable.root) {
    case 'contact':
      return contactValue(context.contact, variable.key);
    case 'custom_values': {
      const values = context.customValues;
      if (values === undefined || !Object.hasOwn(values, variable.key)) return undefined;
      return presentValue(values[variable.key]);
    }
    case 'business':
      return presentValue(context.business?.name);
  }
}

function checkEnv(timeZone: string, now: Date): void {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new TypeError('merge fields: now must be a valid Date');
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new RangeError(`merge fields: unknown time zone "${timeZone}"`);
  }
}

/**
 * Renders message bodies written in Liquid against a contact, the business's custom values and
 * the business. Pure and deterministic: no file system, no clock, no environment; the same body
 * and context always give the same text. Parsed bodies are cached (bounded).
 */
export class MergeFieldRenderer {
  readonly limits: Readonly<MergeFieldLimits>;
  private readonly liquid: Liquid;
  private readonly compiled = new Map<string, CompiledTemplate | readonly TemplateError[]>();

  constructor(options: { limits?: Partial<MergeFieldLimits> } = {}) {
    this.limits = Object.freeze({ ...DEFAULT_MERGE_FIELD_LIMITS, ...options.limits });
    this.liquid = new Liquid({
      // Templates never come from files: no lookups, and any attempt fails.
      templates: {},
      relativeReference: false,
      strictFilters: true,
      ownPropertyOnly: true,
      // Not HTML: "<b>" and "&" are sent as typed. The hook only catches missing values.
      outputEscape: outputOf,
      locale: 'en-US',
      timezoneOffset: 'UTC',
      parseLimit: this.limits.parseLimit,
      renderLimit: this.limits.renderLimit,
      memoryLimit: this.limits.memoryLimit,
    });
    for (const name of Object.keys(this.liquid.tags)) {
      if (!SUPPORTED_TAGS.has(name)) delete this.liquid.tags[name];
    }
    const builtIns: Record<string, FilterImplOptions> = { ...this.liquid.filters };
    for (const name of Object.keys(builtIns)) this.liquid.unregisterFilter(name);
    for (const name of SUPPORTED_FILTERS) {
      const handler = builtIns[name];
      if (typeof handler !== 'function') throw new Error(`liquidjs has no ${name} filter`);
      if (name === 'date') this.liquid.registerFilter(name, zonedDate);
      // `default` must see the missing value (as nil) to replace it.
      else if (name === 'default') this.liquid.registerFilter(name, handler);
      else this.liquid.registerFilter(name, propagatingMissing(handler as FilterFunction));
    }
  }

  /** What a template save runs: syntax, tags, filters and variables, with every variable used. */
  validate(body: string): TemplateValidation {
    const compiled = this.compile(body);
    return 'templates' in compiled
      ? { ok: true, variables: compiled.variables }
      : { ok: false, errors: compiled };
  }

  /** Worst and best case segments of a body over the tenant's contacts (see segment-preview). */
  preview(body: string, input: PreviewInput): SegmentPreview {
    return previewSegments(this, body, input);
  }

  /** Renders the body for one recipient. */
  render(body: string, context: MergeContext): RenderResult {
    const compiled = this.compile(body);
    if (!('templates' in compiled)) return { ok: false, error: compiled[0] as TemplateError };
    return this.renderCompiled(compiled, (variable) => contextValue(context, variable), context);
  }

  /** Parses and checks a body once, to render it many times (cached by body). */
  compile(body: string): CompiledTemplate | readonly TemplateError[] {
    const cached = this.compiled.get(body);
    if (cached !== undefined) {
      // Refresh its place: the map's order is the eviction order.
      this.compiled.delete(body);
      this.compiled.set(body, cached);
      return cached;
    }
    const result = this.compileUncached(body);
    this.compiled.set(body, result);
    if (this.compiled.size > COMPILED_CACHE_SIZE) {
      const oldest = this.compiled.keys().next();
      if (oldest.done !== true) this.compiled.delete(oldest.value);
    }
    return result;
  }

  /** Renders a compiled body with values from `resolve`; used by the preview to try extremes. */
  renderCompiled(
    compiled: CompiledTemplate,
    resolve: MergeValueResolver,
    env: { timeZone: string; now: Date },
  ): RenderResult {
    checkEnv(env.timeZone, env.now);
    const scope: Record<MergeRoot, Record<string, MergeValue | MissingValue>> = {
      contact: {},
      custom_values: {},
      business: {},
    };
    for (const variable of compiled.variables) {
      scope[variable.root][variable.key] = resolve(variable) ?? new MissingValue(variable.name);
    }
    const globals: Record<symbol, RenderEnv> = {
      [RENDER_ENV]: { timeZone: env.timeZone, now: env.now },
    };
    try {
      const text: unknown = this.liquid.renderSync(compiled.templates, scope, { globals });
      return { ok: true, text: String(text) };
    } catch (error) {
      return { ok: false, error: renderFailure(error) };
    }
  }

  private compileUncached(body: string): CompiledTemplate | readonly TemplateError[] {
    if (body.length > this.limits.parseLimit) {
      return [
        templateError(
          'limit_exceeded',
          `the body is longer than ${this.limits.parseLimit} characters`,
          positionAt(body, this.limits.parseLimit),
        ),
      ];
    }
    let templates: Template[];
    try {
      templates = this.liquid.parse(body);
    } catch (error) {
      return [parseFailure(error)];
    }
    const analysis = this.liquid.analyzeSync(templates, { partials: false });
    const errors: TemplateError[] = [];
    const variables = new Map<string, MergeVariable>();
    const found = Object.values(analysis.variables)
      .flat()
      .sort((a, b) => a.location.row - b.location.row || a.location.col - b.location.col);
    for (const reference of found) {
      const checked = checkVariable(reference);
      if ('code' in checked) errors.push(checked);
      else if (!variables.has(checked.name)) variables.set(checked.name, checked);
    }
    if (errors.length > 0) return errors;
    return { body, variables: [...variables.values()], templates };
  }
}
