// Parsers for the scalar values of a job file. Each throws JobValueError with a message
// "expected …, got …" that the job-file validator places at the value's line and column.
import type { Concurrency, RelativeDuration } from './types.js';

/** A value that does not have the expected form; the message is "expected …, got …". */
export class JobValueError extends Error {
  override name = 'JobValueError';
  /** Where inside the value the problem is, e.g. [2] for the third element of a list */
  readonly at: (string | number)[];
  constructor(message: string, at: (string | number)[] = []) {
    super(message);
    this.at = at;
  }
}

/** How a value is named in "got …": numbers as written, strings quoted, containers by kind. */
export function describeValue(v: unknown): string {
  if (v === undefined || v === null) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return v.length === 0 ? 'an empty list' : 'a list';
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (typeof v === 'object') return 'a mapping';
  return typeof v;
}

function fail(expected: string, got: unknown): never {
  throw new JobValueError(`expected ${expected}, got ${describeValue(got)}`);
}

const DURATION_EXPECTED = 'a duration like 500ms, 10s, 5m or 1h30m';
const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*/y;

/** Milliseconds of "500ms", "10s", "5m", "1h30m", "2h", "1.5s", "1d"; a bare number is seconds. */
export function parseDuration(s: string | number): number {
  const ms = durationMs(s);
  // Past 2^53 ms a duration is no longer a count of milliseconds (and Infinity would spin a timer).
  if (!(ms <= Number.MAX_SAFE_INTEGER)) fail(DURATION_EXPECTED, s);
  return ms;
}

function durationMs(s: string | number): number {
  if (typeof s === 'number') {
    if (!Number.isFinite(s) || s < 0) fail(DURATION_EXPECTED, s);
    return Math.round(s * 1000);
  }
  if (typeof s !== 'string') fail(DURATION_EXPECTED, s);
  const text = s.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  let total = 0;
  DURATION_PART.lastIndex = 0;
  let parts = 0;
  while (DURATION_PART.lastIndex < text.length) {
    const m = DURATION_PART.exec(text);
    if (!m) fail(DURATION_EXPECTED, s);
    total += Number(m[1]) * DURATION_UNITS[m[2]];
    parts++;
  }
  if (parts === 0) fail(DURATION_EXPECTED, s);
  return Math.round(total);
}

const SIZE_EXPECTED = 'a size like 512MiB, 1GiB or 1GB';
// SI prefixes count in powers of 1000 (k = kB = 1000), IEC prefixes in powers of 1024 (Ki = KiB).
const SIZE_UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, t: 1e12, tb: 1e12,
  ki: 2 ** 10, kib: 2 ** 10, mi: 2 ** 20, mib: 2 ** 20, gi: 2 ** 30, gib: 2 ** 30, ti: 2 ** 40, tib: 2 ** 40,
};

/** Bytes of "512MiB", "1GiB" (1024³), "1GB" (1000³), "100k" (100 000); a bare number is bytes. Must be > 0. */
export function parseSize(s: string | number): number {
  let bytes: number;
  if (typeof s === 'number') {
    bytes = s;
  } else if (typeof s === 'string') {
    const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(s.trim());
    const unit = m ? SIZE_UNITS[m[2].toLowerCase()] : undefined;
    if (!m || unit === undefined) fail(SIZE_EXPECTED, s);
    bytes = Number(m[1]) * unit;
  } else {
    fail(SIZE_EXPECTED, s);
  }
  if (!Number.isFinite(bytes) || Math.floor(bytes) <= 0) fail(SIZE_EXPECTED, s);
  return Math.floor(bytes);
}

/** The number of "50%" or "12.5%"; must be > 0 (values over 100 are allowed: "300%"). */
export function parsePercent(s: string | number, expected = 'a percentage like 50%'): number {
  const m = typeof s === 'string' ? /^(\d+(?:\.\d+)?)\s*%$/.exec(s.trim()) : null;
  if (!m || Number(m[1]) <= 0) fail(expected, s);
  return Number(m[1]);
}

function isPercentText(v: unknown): v is string {
  return typeof v === 'string' && v.trim().endsWith('%');
}

const CONCURRENCY_EXPECTED = 'auto, a positive integer or a percentage like 50%';

/** "auto" (the available cores), N tasks at a time, or "50%" of the available cores. */
export function parseConcurrency(v: string | number): Concurrency {
  if (v === 'auto') return { kind: 'auto' };
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return { kind: 'count', n: v };
  if (typeof v === 'string' && /^\s*\d+\s*$/.test(v) && Number(v) > 0) return { kind: 'count', n: Number(v) };
  if (isPercentText(v)) return { kind: 'percent', percent: parsePercent(v, CONCURRENCY_EXPECTED) };
  return fail(CONCURRENCY_EXPECTED, v);
}

const TIMEOUT_EXPECTED = 'a duration like 10m or a percentage of the median like 300%';

/** A positive duration, or "300%" = 3× the median runtime of finished tasks. */
export function parseTimeout(v: string | number): RelativeDuration {
  if (isPercentText(v)) return { percentOfMedian: parsePercent(v, TIMEOUT_EXPECTED) };
  let ms: number;
  try {
    ms = parseDuration(v);
  } catch {
    return fail(TIMEOUT_EXPECTED, v);
  }
  if (ms <= 0) fail(TIMEOUT_EXPECTED, v);
  return { ms };
}

/** A non-negative (or, with positive = true, positive) integer. */
export function parseInteger(v: unknown, positive = false): number {
  if (typeof v === 'number' && Number.isInteger(v) && (positive ? v > 0 : v >= 0)) return v;
  return fail(positive ? 'a positive integer' : 'a non-negative integer', v);
}

/** A YAML scalar written as an environment value or an argument: strings, numbers, booleans. */
export function parseScalarText(v: unknown, expected: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return fail(expected, v);
}

/** One of a fixed set of words. */
export function parseChoice<T extends string>(v: unknown, choices: readonly T[]): T {
  if (typeof v === 'string' && (choices as readonly string[]).includes(v)) return v as T;
  const words = choices.length === 2 ? `${choices[0]} or ${choices[1]}` : `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;
  return fail(words, v);
}
