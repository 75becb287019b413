export * from './consent-standing.js';
