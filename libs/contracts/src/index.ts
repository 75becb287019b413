export * from './topics.js';
export * from './event-types.js';
export * from './validation.js';
export * from './events/gateway.events.js';
export * from './events/messaging.events.js';
export * from './events/consent.events.js';
export * from './events/contacts.events.js';
export * from './events/templates.events.js';
