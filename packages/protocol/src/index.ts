export * from './business-payloads.js';
export * from './canonical.js';
export * from './events.js';
export * from './feed.js';
export * from './ids.js';
export * from './primitives.js';
export * from './sse.js';
export * from './sync.js';
