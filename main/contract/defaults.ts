import type { Settings } from './types.js';

export const settingsDefaults: Readonly<Settings> = Object.freeze({ tickMs: 1000 });
