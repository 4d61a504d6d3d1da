import type { StuckEvidence, StuckRule } from '../../contract/types.js';
import type { StuckConfig } from '../job/types.js';

export interface StuckInput {
  now: number; // epoch ms
  startedAt: number; // epoch ms, this attempt
  cpuSeconds: number | null; // cumulative, whole tree; null while unknown (the rule cannot judge)
  lastActivityAt: number | null; // last output byte, progress or heartbeat
  /** Pids of the tree in D state at this tick; the detector tracks since when */
  blockedPids: readonly number[];
  paused: boolean;
  medianRuntimeMs: number | null; // null while fewer than 5 tasks finished
}

export interface StuckDetector {
  update(input: StuckInput): StuckEvidence | null;
}

/** Below this share of one core, a tree counts as idle. */
const IDLE_SHARE = 0.01;
/** Overdue also needs this much runtime: against a median of milliseconds, seconds are not stuck. */
export const OVERDUE_FLOOR_MS = 10_000;

const secs = (ms: number): string => `${Math.round(ms / 1000)} s`;
const shortSecs = (ms: number): string => (ms < 100 ? `${Math.round(ms)} ms` : ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : secs(ms));

/**
 * One detector per task attempt, fed once per tick. Windows restart when the task is
 * resumed from a pause; "since" is when the earliest firing rule started firing.
 */
export function createStuckDetector(config: StuckConfig): StuckDetector {
  let windowStart: number | null = null; // start of the time we may judge (attempt start or last resume)
  let cpuHistory: { t: number; cpu: number }[] = [];
  let pausedMs = 0;
  let pausedAt: number | null = null;
  let blockedSince = new Map<number, number>();
  const firingSince = new Map<StuckRule, number>();

  function resetWindows(now: number, cpu: number): void {
    windowStart = now;
    cpuHistory = [{ t: now, cpu }];
    blockedSince = new Map();
    firingSince.clear();
  }

  /** The tree's CPU over the last windowMs (over less while the task is younger); null while unknown. */
  function cpuUse(input: StuckInput, windowMs: number): { grown: number; span: number; full: boolean } | null {
    const { now, cpuSeconds } = input;
    if (cpuSeconds === null) return null;
    cpuHistory.push({ t: now, cpu: cpuSeconds });
    // Keep the newest point at or before the window's start, and everything after it.
    let k = 0;
    while (k + 1 < cpuHistory.length && cpuHistory[k + 1].t <= now - windowMs) k++;
    cpuHistory = cpuHistory.slice(k);
    const base = cpuHistory[0];
    const full = windowStart !== null && now - windowStart >= windowMs && base.t <= now - windowMs;
    return { grown: cpuSeconds - base.cpu, span: now - base.t, full };
  }

  function silent(input: StuckInput, windowMs: number): string | null {
    const since = Math.max(input.lastActivityAt ?? input.startedAt, windowStart ?? input.startedAt);
    const quiet = input.now - since;
    return quiet >= windowMs ? `no output for ${secs(quiet)}` : null;
  }

  function overdue(input: StuckInput, percent: number): string | null {
    if (input.medianRuntimeMs === null || input.medianRuntimeMs <= 0) return null;
    const runtime = input.now - input.startedAt - pausedMs;
    if (runtime <= OVERDUE_FLOOR_MS) return null;
    const ratio = runtime / input.medianRuntimeMs;
    if (ratio * 100 <= percent) return null;
    return `${ratio.toFixed(1)}× median (${shortSecs(input.medianRuntimeMs)})`;
  }

  function blocked(input: StuckInput, windowMs: number): string | null {
    const next = new Map<number, number>();
    for (const pid of input.blockedPids) next.set(pid, blockedSince.get(pid) ?? input.now);
    blockedSince = next;
    let worst: [number, number] | null = null;
    for (const [pid, since] of next) if (!worst || since < worst[1]) worst = [pid, since];
    if (!worst || input.now - worst[1] < windowMs) return null;
    return `pid ${worst[0]} in D state for ${secs(input.now - worst[1])}`;
  }

  return {
    update(input) {
      if (input.paused) {
        pausedAt ??= input.now;
        return null;
      }
      if (pausedAt !== null) {
        pausedMs += input.now - pausedAt;
        pausedAt = null;
        resetWindows(input.now, input.cpuSeconds ?? 0);
      }
      if (windowStart === null) {
        windowStart = input.startedAt;
        cpuHistory = [{ t: input.startedAt, cpu: 0 }];
      }

      // CPU is measured over the cpuIdle window (the silent one when cpuIdle is off).
      const cpuWindow = config.cpuIdleMs ?? config.silentMs;
      const use = cpuWindow === null ? null : cpuUse(input, cpuWindow);
      const idle = use !== null && use.grown < (IDLE_SHARE * use.span) / 1000;
      const blockedReason = config.blockedMs === null ? null : blocked(input, config.blockedMs); // keeps its pid map current
      // A tree that used CPU in the window is working: busy is never suspect or stuck, whatever else fires
      // (a busy loop that never ends is the timeout's business, not a stuck verdict).
      if (use !== null && use.span > 0 && !idle) {
        firingSince.clear();
        return null;
      }
      const found: [StuckRule, string | null][] = [
        ['cpuIdle', config.cpuIdleMs !== null && use?.full && idle ? `CPU ${Math.max(0, use.grown).toFixed(1)} s in ${secs(config.cpuIdleMs)}` : null],
        ['silent', config.silentMs === null ? null : silent(input, config.silentMs)],
        ['overdue', config.overduePercent === null ? null : overdue(input, config.overduePercent)],
        ['blocked', blockedReason],
      ];
      const rules: StuckRule[] = [];
      const reasons: string[] = [];
      for (const [rule, reason] of found) {
        if (reason === null) {
          firingSince.delete(rule);
          continue;
        }
        if (!firingSince.has(rule)) firingSince.set(rule, input.now);
        rules.push(rule);
        reasons.push(reason);
      }
      if (rules.length === 0) return null;
      const has = (r: StuckRule): boolean => rules.includes(r);
      const stuck = (has('cpuIdle') && has('silent')) || has('overdue') || has('blocked');
      return {
        state: stuck ? 'stuck' : 'suspect',
        rules,
        since: Math.min(...rules.map((r) => firingSince.get(r) ?? input.now)),
        reasons,
        summary: reasons.join('; '),
      };
    },
  };
}
