import type { GroupKiller, ReapSignal } from '../../../../main/core/reap/groupKill.js';
import type { ProcessProbe } from '../../../../main/core/stop/index.js';

/** A process table in memory: groups die on TERM unless stubborn, always on KILL. */
export class FakeProcesses {
  procs = new Map<number, ProcessProbe & { pgid: number; stubborn?: boolean }>();
  signals: Array<[number, ReapSignal]> = [];

  spawn(pid: number, opts: { pgid?: number; startTime?: string; stubborn?: boolean } = {}): void {
    this.procs.set(pid, { alive: true, pgid: opts.pgid ?? pid, startTime: opts.startTime ?? `st-${pid}`, stubborn: opts.stubborn });
  }

  lister = (pid: number): ProcessProbe => {
    const p = this.procs.get(pid);
    return p?.alive ? { alive: true, startTime: p.startTime } : { alive: false };
  };

  killer: GroupKiller = {
    signal: ({ pgid }, sig) => {
      this.signals.push([pgid, sig]);
      for (const p of this.procs.values()) if (p.pgid === pgid && (sig === 'KILL' || !p.stubborn)) p.alive = false;
    },
    liveGroups: (targets) => new Set(targets.map((t) => t.pgid).filter((g) => [...this.procs.values()].some((p) => p.alive && p.pgid === g))),
  };
}
