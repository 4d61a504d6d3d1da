// Liveness of the spawn helper. A helper that is stopped (SIGSTOP, a debugger) or wedged forks nothing
// and reports no exits, so its tasks would look running forever: while it has tasks it is pinged, and
// one that neither answers nor sends anything for `hungAfterMs` is declared hung.
import { readFileSync } from 'node:fs';

export interface HelperWatch {
  /** Any frame from the helper: it is alive */
  heard(): void;
  /** A pong frame */
  answered(id: number): void;
  /** Watch while the helper has tasks; an idle helper is not pinged */
  busy(busy: boolean): void;
  stop(): void;
}

export interface HelperWatchOptions {
  ping(id: number): void;
  hung(silentMs: number): void;
  hungAfterMs: number;
  everyMs?: number;
}

export function watchHelper(opts: HelperWatchOptions): HelperWatch {
  const everyMs = opts.everyMs ?? Math.min(2000, Math.max(100, opts.hungAfterMs / 4));
  let timer: NodeJS.Timeout | null = null;
  let seq = 0;
  let waiting: { id: number; since: number } | null = null;
  let lastHeard = Date.now();

  const stop = () => {
    if (timer) clearInterval(timer);
    timer = null;
    waiting = null;
  };
  const check = () => {
    if (!waiting) {
      waiting = { id: ++seq, since: Date.now() };
      opts.ping(waiting.id);
      return;
    }
    const since = Math.max(waiting.since, lastHeard);
    if (Date.now() - since < opts.hungAfterMs) return;
    const w = waiting;
    // Read what has already arrived first (I/O callbacks run before setImmediate's): a supervisor
    // that was busy itself must not take its own delay for the helper's.
    setImmediate(() => {
      if (waiting !== w || !timer || Date.now() - Math.max(w.since, lastHeard) < opts.hungAfterMs) return;
      stop();
      opts.hung(Date.now() - w.since);
    });
  };
  return {
    heard() {
      lastHeard = Date.now();
    },
    answered(id) {
      if (waiting?.id === id) waiting = null;
    },
    busy(b) {
      if (b && !timer) {
        waiting = null;
        lastHeard = Date.now();
        timer = setInterval(check, everyMs);
        timer.unref(); // never keeps the supervisor alive by itself
      } else if (!b && timer) stop();
    },
    stop,
  };
}

/** "stopped" when Linux says the process is stopped (state T or t), else null. */
export function stoppedState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'T' || state === 't' ? 'stopped' : null;
  } catch {
    return null;
  }
}

const DEFAULT_HUNG_S = 20;

/** CORRAL_SPAWN_HUNG_S: seconds without an answer before the spawn helper is declared hung (default 20). */
export function hungAfterMs(env: NodeJS.ProcessEnv): number {
  const v = env.CORRAL_SPAWN_HUNG_S?.trim();
  if (!v) return DEFAULT_HUNG_S * 1000;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`CORRAL_SPAWN_HUNG_S must be a number of seconds above 0, not ${JSON.stringify(env.CORRAL_SPAWN_HUNG_S)}`);
  return n * 1000;
}
