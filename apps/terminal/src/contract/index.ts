export * from './methods.js';
export * from './wire.js';
