export * from './types.js';
export * from './api.js';
export { settingsDefaults } from './defaults.js';
export { guardedCall, errorResult } from './guardedCall.js';
