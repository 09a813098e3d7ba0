export * from './config.js';
export * from './http.js';
export * from './main.js';
export * from './server.js';
export * from './stdio.js';
export * from './tool.js';
