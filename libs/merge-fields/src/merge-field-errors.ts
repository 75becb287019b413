/** Where in the body a problem is, 1-based, as an editor shows it. */
export interface BodyPosition {
  line: number;
  column: number;
}

export type TemplateErrorReason =
  /** Liquid that does not parse (an unclosed `{{`, an `if` without `endif`...). */
  | 'syntax'
  /** A root other than contact, custom_values, business, or a field that cannot exist. */
  | 'unknown_variable'
  /** A tag outside `if`/`unless`/`case`/`comment`/`raw` (`include`, `render`, `layout`, `for`...). */
  | 'unsupported_tag'
  /** A filter outside the supported list. */
  | 'unsupported_filter'
  /** The body is longer than the parse limit, or rendering it hit the time or memory limit. */
  | 'limit_exceeded'
  /** A filter refused its input at render time (an unknown zone given to `date`...). */
  | 'render_error';

/** The template itself is wrong: refused at save, send and preview alike (HTTP 400). */
export interface TemplateError extends BodyPosition {
  code: 'invalid_template';
  reason: TemplateErrorReason;
  message: string;
  /** The variable at fault, for `unknown_variable`. */
  variable?: string;
}

/** The template is fine, but this recipient has no value for a variable without `default` (HTTP 422). */
export interface MissingMergeValue extends BodyPosition {
  code: 'missing_merge_value';
  /** As written in the body, e.g. `contact.first_name`. */
  variable: string;
  message: string;
}

export type MergeFieldError = TemplateError | MissingMergeValue;
