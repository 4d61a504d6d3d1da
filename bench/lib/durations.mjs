// Heavy-tailed task durations with a fixed seed, for the load-balancing benchmark.

/** mulberry32: a tiny seeded PRNG so every run and every contender sees the same batch. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `n` Pareto(alpha) durations scaled to `totalMs` of CPU in all, the longest capped at
 * `capShare` of the per-core share so the bound stays total/cores, and the three longest
 * moved to the end of the input (the case input order handles worst).
 */
export function heavyTailed({ n, totalMs, cores, seed = 7, alpha = 1.0, capShare = 0.5 }) {
  const rand = prng(seed);
  const raw = Array.from({ length: n }, () => 1 / Math.pow(1 - rand(), 1 / alpha));
  const cap = (capShare * totalMs) / cores;
  let ms = raw;
  // Scale, cap the longest, rescale the rest: a few passes converge.
  for (let i = 0; i < 5; i++) {
    const sum = ms.reduce((a, b) => a + b, 0);
    ms = ms.map((x) => Math.min(cap, (x * totalMs) / sum));
  }
  ms = ms.map((x) => Math.max(1, Math.round(x)));
  const longest = [...ms.keys()].sort((a, b) => ms[b] - ms[a]).slice(0, 3);
  const rest = ms.filter((_, i) => !longest.includes(i));
  const late = longest.map((i) => ms[i]);
  // Longest tasks at positions n-5, n-3 and n-1: late, but not all at the very end.
  const out = [...rest];
  out.splice(out.length - 2, 0, late[0]);
  out.splice(out.length - 1, 0, late[1]);
  out.push(late[2]);
  return out;
}

export function lowerBound(ms, cores) {
  const total = ms.reduce((a, b) => a + b, 0);
  return Math.max(total / cores, Math.max(...ms));
}

/** Makespan of greedy list scheduling: each unit (a task, or a chunk of tasks) goes to the first free worker. */
export function simulate(units, cores) {
  const free = Array(cores).fill(0);
  for (const u of units) {
    const i = free.indexOf(Math.min(...free));
    free[i] += u;
  }
  return Math.max(...free);
}

/** Schedules with no overhead at all: what the dispatch order alone costs. */
export function simulatedSchedules(ms, cores) {
  // Python's Pool.map: chunksize = ceil(n / (4 × workers)), chunks handed out in order.
  const chunk = Math.ceil(ms.length / (4 * cores));
  const chunks = [];
  for (let i = 0; i < ms.length; i += chunk) chunks.push(ms.slice(i, i + chunk).reduce((a, b) => a + b, 0));
  return {
    inputOrder: simulate(ms, cores),
    longestFirst: simulate([...ms].sort((a, b) => b - a), cores),
    poolMapChunks: simulate(chunks, cores),
    poolMapChunkSize: chunk,
  };
}
