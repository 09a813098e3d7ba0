export * from './cluster-contract.js';
export * from './metrics-contract.js';
