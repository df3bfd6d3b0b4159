export * from './basket.js';
export * from './currency.js';
export * from './money.js';
export * from './tender.js';
