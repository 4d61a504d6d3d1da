import type { Retention } from './prune.js';

/**
 * `--keep-runs`: "100" (runs), "30d" (days), or both, "100,30d"; what is not given keeps its default.
 * Returns the message of a usage error instead of throwing, so each entry point words its own prefix.
 */
export function parseRetention(text: string): Partial<Retention> | string {
  const out: Partial<Retention> = {};
  for (const part of text.split(',').map((p) => p.trim())) {
    const days = /^(\d+(?:\.\d+)?)d$/.exec(part);
    if (days && Number(days[1]) > 0 && out.maxAgeDays === undefined) out.maxAgeDays = Number(days[1]);
    else if (/^\d+$/.test(part) && Number(part) > 0 && out.maxRuns === undefined) out.maxRuns = Number(part);
    else return `--keep-runs expects a number of runs, a number of days like 30d, or both (100,30d), got ${JSON.stringify(text)}`;
  }
  return out;
}
