// Number formatting for dense, tabular displays: short, fixed units, no locale surprises.

const KiB = 1024;
const MiB = KiB * 1024;
const GiB = MiB * 1024;
const TiB = GiB * 1024;

/** 0 → "0 B", 1536 → "1.5 KiB", 734003200 → "700 MiB", 3.2 GiB → "3.20 GiB"; unknown (null) → "—". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < KiB) return `${Math.round(bytes)} B`;
  if (bytes < MiB) return `${trim(bytes / KiB)} KiB`;
  if (bytes < GiB) return `${trim(bytes / MiB)} MiB`;
  if (bytes < TiB) return `${(bytes / GiB).toFixed(2)} GiB`;
  return `${(bytes / TiB).toFixed(2)} TiB`;
}

// Three significant digits, never more than one decimal above 10.
function trim(v: number): string {
  if (v >= 100) return String(Math.round(v));
  if (v >= 10) return v.toFixed(1).replace(/\.0$/, '');
  return v.toFixed(2).replace(/0$/, '').replace(/\.$/, '');
}

/** Durations like htop/parallel: 850 → "850 ms", 12_300 → "12.3 s", 75_000 → "1m 15s", 3_723_000 → "1h 02m". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.floor(s)} s`;
  const total = Math.floor(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  if (h === 0) return `${m}m ${String(sec).padStart(2, '0')}s`;
  if (h < 24) return `${h}h ${String(m).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${String(h % 24).padStart(2, '0')}h`;
}

/** Whole seconds for countdowns: 6_200 → "7 s" (rounds up so it never shows 0 before the step fires). */
export function formatCountdown(ms: number): string {
  return `${Math.max(0, Math.ceil(ms / 1000))} s`;
}

/** CPU % of one core: 0 → "0%", 3.14 → "3.1%", 187.4 → "187%". */
export function formatPercent(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  if (p < 10) return `${(Math.round(p * 10) / 10).toFixed(p === 0 ? 0 : 1)}%`;
  return `${Math.round(p)}%`;
}

/** CPU seconds: 0.42 → "0.42 s", 12.345 → "12.3 s", 4000 → "1h 06m". */
export function formatCpuSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s) || s < 0) return '—';
  if (s < 10) return `${s.toFixed(2)} s`;
  if (s < 60) return `${s.toFixed(1)} s`;
  return formatDuration(s * 1000);
}

/** Tasks per second: 0.05 → "0.05/s", 3.456 → "3.46/s", 120.4 → "120/s". */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond < 0) return '—';
  if (perSecond >= 100) return `${Math.round(perSecond)}/s`;
  if (perSecond >= 10) return `${perSecond.toFixed(1)}/s`;
  return `${perSecond.toFixed(2)}/s`;
}

/** Wall clock "14:03:27" for axis ticks and "since" labels. */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** "12 s ago" / "3m 05s ago" relative to now. */
export function formatAgo(epochMs: number, now: number): string {
  return `${formatDuration(Math.max(0, now - epochMs))} ago`;
}

/** Thousands separators with a thin space, independent of locale: 100000 → "100 000". */
export function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
}

/**
 * Splits text around "number unit" runs ("13 s", "1.2 GiB"): odd indexes are the runs, which the view
 * keeps on one line, so evidence never wraps as "13 / s". The text itself is unchanged.
 */
export function unitRuns(text: string): string[] {
  return text.split(/(\d+(?:\.\d+)? (?:ms|s|min|h|%|B|KiB|MiB|GiB|TiB)(?![\p{L}\p{N}]))/u);
}

/**
 * Cuts long text in the middle: "/data/run-2024/…/part-0042.log". Input paths differ at their
 * ends (file names) more than at their starts, so cutting the end hides what tells them apart.
 */
export function middleEllipsis(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const keep = Math.max(2, max - 1);
  const head = Math.ceil(keep * 0.4);
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - (keep - head)).join('')}`;
}
