export * from './canonical.js';
export * from './errors.js';
export type * from './ports/cluster.js';
export type * from './ports/metrics.js';
export * from './quantity.js';
export * from './secrets.js';
