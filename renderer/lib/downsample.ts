// Downsampling to about one point per pixel: charts never draw more points than they have pixels.

/**
 * Min/max buckets: splits `points` into `buckets` equal runs and keeps, per run, the point with the
 * lowest and the one with the highest value (in time order), so spikes survive. Returns the input
 * unchanged when it already fits.
 */
export function minMaxBuckets<T>(points: readonly T[], buckets: number, value: (p: T) => number): T[] {
  const n = points.length;
  const b = Math.max(1, Math.floor(buckets));
  if (n <= b * 2) return points.slice();
  const out: T[] = [];
  const size = n / b;
  for (let i = 0; i < b; i++) {
    const from = Math.floor(i * size);
    const to = Math.min(n, Math.floor((i + 1) * size));
    if (to <= from) continue;
    let minI = from;
    let maxI = from;
    for (let j = from + 1; j < to; j++) {
      const v = value(points[j]);
      if (v < value(points[minI])) minI = j;
      if (v > value(points[maxI])) maxI = j;
    }
    if (minI === maxI) out.push(points[minI]);
    else if (minI < maxI) out.push(points[minI], points[maxI]);
    else out.push(points[maxI], points[minI]);
  }
  return out;
}

/**
 * For rows holding many series at once (a line per slot): keep the last row of each bucket, plus
 * the first row so the x axis keeps its extent. Min/max per series would mix rows; plain decimation
 * is good enough for small multiples whose history is already about one point per pixel.
 */
export function bucketRows<T extends { t: number }>(rows: readonly T[], buckets: number): T[] {
  const n = rows.length;
  const b = Math.max(1, Math.floor(buckets));
  if (n <= b) return rows.slice();
  const out: T[] = [];
  const size = n / b;
  for (let i = 0; i < b; i++) {
    const idx = Math.min(n - 1, Math.floor((i + 1) * size) - 1);
    out.push(rows[idx]);
  }
  if (out[0] !== rows[0]) out.unshift(rows[0]);
  return out;
}
