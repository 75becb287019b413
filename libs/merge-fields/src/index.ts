export {
  BUILT_IN_CONTACT_FIELDS,
  MERGE_ROOTS,
  isCustomFieldKey,
  isCustomValueKey,
  type BuiltInContactField,
  type ContactFields,
  type CustomFieldValue,
  type MergeContext,
  type MergeRoot,
  type MergeValue,
} from './merge-context.js';
export type {
  BodyPosition,
  MergeFieldError,
  MissingMergeValue,
  TemplateError,
  TemplateErrorReason,
} from './merge-field-errors.js';
export {
  DEFAULT_MERGE_FIELD_LIMITS,
  MergeFieldRenderer,
  type CompiledTemplate,
  type MergeFieldLimits,
  type MergeValueResolver,
  type MergeVariable,
  type RenderResult,
  type TemplateValidation,
} from './merge-field-renderer.js';
export {
  ContactValueSummary,
  type MessageAdditions,
  type PreviewInput,
  type SegmentEstimate,
  type SegmentPreview,
} from './segment-preview.js';
export {
  mergeFieldsOf,
  mergeValueOf,
  renderBody,
  type BodyContext,
  type StoredContact,
  type StoredFieldValue,
} from './render-body.js';
