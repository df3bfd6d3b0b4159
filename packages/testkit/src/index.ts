export { integer, mulberry32, pick, type Random } from './random.js';
