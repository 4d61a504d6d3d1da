import { readFileSync } from 'node:fs';

// Which processes a test has seen, identified by pid AND start time (pids are reused: pid_max may be
// as low as 32768), and every signal the process sends, with the target's start time at that moment.

export interface ProcReading {
  state: string;
  /** Field 22 of /proc/<pid>/stat: clock ticks since boot */
  startTime: string;
  /** utime + stime, seconds */
  cpuSeconds: number;
}

const HZ = 100; // USER_HZ, fixed at 100 on Linux whatever the kernel's HZ

/** /proc/<pid>/stat, or null when the pid does not exist. */
export function readProc(pid: number): ProcReading | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // comm may hold spaces and parentheses: split after the last ')'. rest[0] is field 3.
  const rest = text.slice(text.lastIndexOf(')') + 2).trim().split(/\s+/);
  return { state: rest[0], startTime: rest[19], cpuSeconds: (Number(rest[11]) + Number(rest[12])) / HZ };
}

/** A live process: exists and is not a zombie. */
export const isLive = (r: ProcReading | null): r is ProcReading => r !== null && r.state !== 'Z' && r.state !== 'X';

/** process.kill as it was before any wrapper: the test's own cleanup signals go through this. */
export const unwrappedKill: (pid: number, signal: NodeJS.Signals) => void = process.kill.bind(process);

export interface SentSignal {
  /** pid, or -pgid for a group */
  target: number;
  signal: string;
  /** Start time of the pid (or of the group's leader) when the signal was sent; null when it was gone */
  startTime: string | null;
  at: number;
}

/**
 * Wraps process.kill so every signal this process sends (except probes with 0) is reported
 * before it is delivered. Returns the function that puts process.kill back.
 */
export function recordSignals(onSend: (s: SentSignal) => void): () => void {
  const original = process.kill;
  const wrapped = function kill(pid: number, signal?: string | number): true {
    if (signal !== 0) {
      const r = readProc(Math.abs(pid));
      onSend({ target: pid, signal: String(signal ?? 'SIGTERM'), startTime: isLive(r) ? r.startTime : null, at: Date.now() });
    }
    return original.call(process, pid, signal);
  };
  process.kill = wrapped as typeof process.kill;
  return () => {
    process.kill = original;
  };
}

/** The processes a test saw, each as pid + start time. */
export class ProcessBook {
  readonly #seen = new Map<number, Set<string>>();

  /** Notes a pid as seen now; returns its start time (undefined when it is already gone). */
  note(pid: number): string | undefined {
    const r = readProc(pid);
    if (!isLive(r)) return undefined;
    let s = this.#seen.get(pid);
    if (!s) this.#seen.set(pid, (s = new Set()));
    s.add(r.startTime);
    return r.startTime;
  }

  knows(pid: number): boolean {
    return this.#seen.has(pid);
  }

  startTimes(pid: number): ReadonlySet<string> {
    return this.#seen.get(pid) ?? new Set();
  }

  /** Every seen process that is still alive (same pid, same start time, not a zombie). */
  stillAlive(filter: (pid: number) => boolean = () => true): { pid: number; state: string }[] {
    const out: { pid: number; state: string }[] = [];
    for (const [pid, times] of this.#seen) {
      if (!filter(pid)) continue;
      const r = readProc(pid);
      if (isLive(r) && times.has(r.startTime)) out.push({ pid, state: r.state });
    }
    return out;
  }

  /** SIGKILL every seen process still alive (the test's own cleanup: not through the wrapper). */
  killAll(): void {
    for (const { pid } of this.stillAlive()) {
      try {
        unwrappedKill(pid, 'SIGKILL');
      } catch {
        /* gone meanwhile */
      }
    }
  }
}
