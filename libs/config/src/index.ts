export { z } from 'zod';
export { ConfigError, exitOnConfigError, loadConfig } from './load-config.js';
export {
  bool,
  csv,
  int,
  type IntOptions,
  nonEmpty,
  oneOf,
  optionalNonEmpty,
  port,
  url,
  type UrlOptions,
} from './fields.js';
