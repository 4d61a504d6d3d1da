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
export function heavyTailed({ n, totalMs, cores, seed = 42, alpha = 1.2, capShare = 0.5 }) {
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
