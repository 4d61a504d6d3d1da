import { describe, expect, it } from 'vitest';
import { createStuckDetector, type StuckInput } from '../../../../main/core/monitor/stuck.js';
import type { StuckConfig } from '../../../../main/core/job/types.js';

const S = 1000;
const config: StuckConfig = { cpuIdleMs: 60 * S, silentMs: 120 * S, overduePercent: 300, blockedMs: 60 * S, action: 'warn' };

/** Drives one detector with a fake clock: one tick per second from t0 = startedAt. */
function drive(cfg: Partial<StuckConfig> = {}) {
  const det = createStuckDetector({ ...config, ...cfg });
  const startedAt = 1_000_000;
  const state = { now: startedAt, cpuSeconds: 0, lastActivityAt: null as number | null, blockedPids: [] as number[], paused: false, median: null as number | null };
  let last: ReturnType<typeof det.update> = null;
  const tick = (seconds: number, each?: (s: typeof state) => void) => {
    for (let i = 0; i < seconds; i++) {
      state.now += S;
      each?.(state);
      const input: StuckInput = {
        now: state.now,
        startedAt,
        cpuSeconds: state.cpuSeconds,
        lastActivityAt: state.lastActivityAt,
        blockedPids: state.blockedPids,
        paused: state.paused,
        medianRuntimeMs: state.median,
      };
      last = det.update(input);
    }
    return last;
  };
  return { tick, state, startedAt };
}

describe('stuck detector', () => {
  it('stays quiet for a fresh task', () => {
    expect(drive().tick(5)).toBeNull();
  });

  it('cpuIdle fires only after running for the whole window, with the CPU in words', () => {
    const d = drive({ silentMs: null });
    d.state.lastActivityAt = d.startedAt;
    expect(d.tick(59)).toBeNull();
    const ev = d.tick(1);
    expect(ev).toMatchObject({ state: 'suspect', rules: ['cpuIdle'], reasons: ['CPU 0.0 s in 60 s'], summary: 'CPU 0.0 s in 60 s' });
    expect(ev?.since).toBe(d.startedAt + 60 * S);
  });

  it('counts CPU below 1 % of a core as idle and above it as working', () => {
    const low = drive({ silentMs: null });
    expect(low.tick(60, (s) => (s.cpuSeconds += 0.005))?.rules).toEqual(['cpuIdle']);
    const ok = drive({ silentMs: null });
    expect(ok.tick(120, (s) => (s.cpuSeconds += 0.02))).toBeNull();
  });

  it('silent fires after the window without output and reports the quiet time', () => {
    const d = drive({ cpuIdleMs: null });
    d.state.lastActivityAt = d.startedAt + 20 * S;
    expect(d.tick(139)).toBeNull();
    expect(d.tick(4)?.reasons).toEqual(['no output for 123 s']);
  });

  it('is stuck when idle AND silent, and says both', () => {
    const d = drive();
    expect(d.tick(119)?.state).toBe('suspect'); // idle only so far
    const ev = d.tick(24);
    expect(ev).toMatchObject({ state: 'stuck', rules: ['cpuIdle', 'silent'] });
    expect(ev?.summary).toBe('CPU 0.0 s in 60 s; no output for 143 s');
    expect(ev?.since).toBe(d.startedAt + 60 * S); // the first firing rule
  });

  it('never flags a busy loop, not even as suspect (silent but burning CPU)', () => {
    const d = drive();
    for (let i = 0; i < 600; i++) expect(d.tick(1, (s) => (s.cpuSeconds += 1))).toBeNull();
  });

  it('a task just above the idle share is busy; just below it, idle', () => {
    const above = drive();
    for (let i = 0; i < 300; i++) expect(above.tick(1, (s) => (s.cpuSeconds += 0.011))).toBeNull();
    const below = drive();
    expect(below.tick(300, (s) => (s.cpuSeconds += 0.009))?.rules).toEqual(['cpuIdle', 'silent']);
  });

  it('measures busy over the silent window when cpuIdle is off', () => {
    const d = drive({ cpuIdleMs: null, silentMs: 10 * S });
    expect(d.tick(60, (s) => (s.cpuSeconds += 0.5))).toBeNull();
    expect(d.tick(11)).toMatchObject({ state: 'suspect', rules: ['silent'] });
  });

  it('a busy task past the median is not flagged: overdue speaks only of idle trees', () => {
    const d = drive({ cpuIdleMs: 5 * S, silentMs: null });
    d.state.median = 2 * S;
    expect(d.tick(60, (s) => (s.cpuSeconds += 1))).toBeNull();
    expect(d.tick(6)).toMatchObject({ state: 'stuck', rules: ['cpuIdle', 'overdue'] });
  });

  it('never flags a task printing every 2 s as stuck (idle but talking)', () => {
    const d = drive();
    const ev = d.tick(600, (s) => {
      if ((s.now / S) % 2 === 0) s.lastActivityAt = s.now;
    });
    expect(ev?.state).toBe('suspect');
    expect(ev?.rules).toEqual(['cpuIdle']);
  });

  it('never flags a long task without a median as overdue', () => {
    const d = drive({ cpuIdleMs: null, silentMs: null });
    expect(d.tick(3600, (s) => (s.cpuSeconds += 1))).toBeNull();
  });

  it('overdue fires past the percentage of the median and says the ratio', () => {
    const d = drive({ cpuIdleMs: null, silentMs: null });
    d.state.median = 12 * S;
    expect(d.tick(36, (s) => (s.cpuSeconds += 1))).toBeNull(); // exactly 300 %
    d.tick(13);
    expect(d.tick(0)).toMatchObject({ state: 'stuck', rules: ['overdue'], reasons: ['4.1× median (12 s)'] });
    const short = drive({ cpuIdleMs: null, silentMs: null });
    short.state.median = 1500;
    expect(short.tick(11)?.reasons).toEqual(['7.3× median (1.5 s)']);
  });

  it('overdue needs 10 s of runtime too: against a 5 ms median a 2 s task is not overdue', () => {
    const d = drive({ cpuIdleMs: null, silentMs: null });
    d.state.median = 5;
    expect(d.tick(2)).toBeNull(); // 400× the median, but only 2 s
    expect(d.tick(7)).toBeNull();
    expect(d.tick(1)).toBeNull(); // exactly 10 s: not over it
    expect(d.tick(1)).toMatchObject({ state: 'stuck', rules: ['overdue'], reasons: ['2200.0× median (5 ms)'] });
  });

  it('blocked fires when a pid stays in D state for the whole window', () => {
    const d = drive({ cpuIdleMs: null, silentMs: null });
    d.state.blockedPids = [812];
    // First seen in D at tick 1: the window counts from that sighting.
    expect(d.tick(60)).toBeNull();
    expect(d.tick(1)).toMatchObject({ state: 'stuck', rules: ['blocked'], reasons: ['pid 812 in D state for 60 s'] });
  });

  it('blocked restarts its window when the pid leaves D state even for one tick', () => {
    const d = drive({ cpuIdleMs: null, silentMs: null });
    d.state.blockedPids = [812];
    d.tick(50);
    d.state.blockedPids = [];
    d.tick(1);
    d.state.blockedPids = [812, 813];
    expect(d.tick(60)).toBeNull();
    expect(d.tick(1)?.reasons).toEqual(['pid 812 in D state for 60 s']);
  });

  it('clears when output or CPU resumes', () => {
    const d = drive();
    expect(d.tick(150)?.state).toBe('stuck');
    d.state.lastActivityAt = d.state.now + S;
    expect(d.tick(1)?.rules).toEqual(['cpuIdle']);
    expect(d.tick(5, (s) => (s.cpuSeconds += 1))).toBeNull();
  });

  it('is never stuck while paused, and pausing restarts every window', () => {
    const d = drive();
    d.state.blockedPids = [9];
    d.tick(50);
    d.state.paused = true;
    expect(d.tick(500)).toBeNull();
    d.state.paused = false;
    expect(d.tick(60)).toBeNull(); // windows restarted at the first tick after resuming
    expect(d.tick(1)).toMatchObject({ rules: ['cpuIdle', 'blocked'] });
    expect(d.tick(60)?.rules).toEqual(['cpuIdle', 'silent', 'blocked']);
  });

  it('leaves paused time out of the runtime compared with the median', () => {
    const d = drive({ cpuIdleMs: null, silentMs: null });
    d.state.median = 10 * S;
    d.tick(20);
    d.state.paused = true;
    d.tick(100);
    d.state.paused = false;
    expect(d.tick(5)).toBeNull(); // 25 s of running ≤ 300 % of 10 s
    expect(d.tick(6)?.reasons).toEqual(['3.1× median (10 s)']);
  });

  it('does nothing with every rule off', () => {
    const d = drive({ cpuIdleMs: null, silentMs: null, overduePercent: null, blockedMs: null });
    d.state.median = 1;
    d.state.blockedPids = [1];
    expect(d.tick(1000)).toBeNull();
  });
});
