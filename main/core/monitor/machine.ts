import { readFileSync } from 'node:fs';

// Swap beside CPU and memory: a machine that swaps makes every task slow, and the operator must
// see that the machine, not the job, is the problem. Linux reads /proc/meminfo; elsewhere there
// is no cheap source, so swap is "not sampled" (null) rather than a made-up zero.

export interface SwapSample {
  total: number;
  used: number;
}

/** Swap from /proc/meminfo's text (kB lines), or null when the fields are missing. */
export function parseSwap(meminfo: string): SwapSample | null {
  const field = (name: string) => {
    const m = new RegExp(`^${name}:\\s+(\\d+)\\s*kB`, 'm').exec(meminfo);
    return m ? Number(m[1]) * 1024 : null;
  };
  const total = field('SwapTotal');
  const free = field('SwapFree');
  if (total === null || free === null) return null;
  return { total, used: Math.max(0, total - free) };
}

export function readSwap(platform: NodeJS.Platform = process.platform, read: (path: string) => string = (p) => readFileSync(p, 'utf8')): SwapSample | null {
  if (platform !== 'linux') return null;
  try {
    return parseSwap(read('/proc/meminfo'));
  } catch {
    return null;
  }
}
