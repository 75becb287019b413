export * from './consent/index.js';
export * from './content/index.js';
export * from './quiet-hours/index.js';
export * from './replies/index.js';
export * from './verdict.js';
