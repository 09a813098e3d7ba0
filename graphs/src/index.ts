export * from './copilot.js';
export * from './gateway.js';
export * from './models/index.js';
export * from './ports.js';
