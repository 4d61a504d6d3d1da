export * from './types.js';
export * from './runs.js';
export * from './stream.js';
export * from './hosts.js';
export * from './api.js';
export { settingsDefaults } from './defaults.js';
export { guardedCall, errorResult } from './guardedCall.js';
export { parseFrame, mergeTicks } from './frames.js';
