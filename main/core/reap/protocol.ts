// The reaper's stdin protocol: newline-delimited JSON, shared by the supervisor side and the reaper.

import { isPid, parseJsonObject } from './jsonLine.js';

export type ReaperCommand =
  | { op: 'add'; pgid: number; pid: number; startTime?: string }
  | { op: 'remove'; pgid: number }
  /** A daemon a task left running on purpose (`daemons: keep`): the marker scan leaves it alone */
  | { op: 'spare'; pid: number; startTime: string }
  | { op: 'bye' };

/** Returns undefined for anything malformed: a bad line must never stop the reaper. */
export function parseReaperCommand(line: string): ReaperCommand | undefined {
  const v = parseJsonObject(line);
  if (!v) return undefined;
  if (v.op === 'bye') return { op: 'bye' };
  if (v.op === 'remove' && isPid(v.pgid)) return { op: 'remove', pgid: v.pgid };
  if (v.op === 'spare' && isPid(v.pid) && typeof v.startTime === 'string') return { op: 'spare', pid: v.pid, startTime: v.startTime };
  if (v.op === 'add' && isPid(v.pgid) && isPid(v.pid)) {
    const startTime = typeof v.startTime === 'string' ? v.startTime : undefined;
    return startTime === undefined ? { op: 'add', pgid: v.pgid, pid: v.pid } : { op: 'add', pgid: v.pgid, pid: v.pid, startTime };
  }
  return undefined;
}

export function formatReaperCommand(cmd: ReaperCommand): string {
  return `${JSON.stringify(cmd)}\n`;
}

/** Splits a byte stream into lines, keeping the unfinished tail for the next chunk. */
export function lineSplitter(onLine: (line: string) => void): (chunk: string) => void {
  let tail = '';
  return (chunk) => {
    const parts = (tail + chunk).split('\n');
    tail = parts.pop() ?? '';
    for (const p of parts) if (p.trim()) onLine(p);
  };
}

/** Grace from `--grace-ms=N` or CORRAL_REAPER_GRACE_MS; anything else falls back to the default. */
export function reaperGraceMs(argv: string[], env: NodeJS.ProcessEnv, fallback: number): number {
  const arg = argv.find((a) => a.startsWith('--grace-ms='))?.slice('--grace-ms='.length);
  for (const raw of [arg, env.CORRAL_REAPER_GRACE_MS]) {
    if (raw === undefined || raw.trim() === '') continue;
    const n = Number(raw);
    if (Number.isFinite(n) && n >= 0) return n;
  }
  return fallback;
}

/**
 * Every task of a supervisor carries CORRAL_SUPERVISOR=<marker> in its environment, and the reaper
 * gets the same marker as `--marker=`: on Linux it also reaps what carries the marker, which closes
 * the window between a spawn and the reaper hearing of it, and catches grandchildren that left the group.
 */
export const MARKER_ENV = 'CORRAL_SUPERVISOR';

/** The marker from `--marker=…`, if it is a plain token (it is matched against other processes' environments). */
export function reaperMarker(argv: string[]): string | undefined {
  const raw = argv.find((a) => a.startsWith('--marker='))?.slice('--marker='.length);
  return raw !== undefined && /^[A-Za-z0-9._-]{8,128}$/.test(raw) ? raw : undefined;
}
