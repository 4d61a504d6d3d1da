import { groupKiller, type GroupKiller } from './groupKill.js';
import { probeProcess, sameProcess, type ProcessLister } from './procStat.js';

export interface ReapTarget {
  pgid: number;
  pid: number;
  startTime?: string;
}

export interface ReapOptions {
  /** Time between TERM and KILL. */
  graceMs?: number;
  /** How long to wait for the groups to vanish after KILL. */
  verifyMs?: number;
  pollMs?: number;
  killer?: GroupKiller;
  lister?: ProcessLister;
}

export interface ReapResult {
  /** Groups that were alive and are now verified gone. */
  killed: number[];
  /** Of those, the ones that needed KILL. */
  forced: number[];
  /** Leader pid now belongs to another process: left alone. */
  skipped: number[];
  /** Still alive after KILL and the verify period. */
  survivors: number[];
}

export const REAP_DEFAULTS = Object.freeze({ graceMs: 2000, verifyMs: 5000, pollMs: 50 });

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitGone(killer: GroupKiller, pgids: number[], ms: number, pollMs: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  let live = [...killer.liveGroups(pgids)];
  while (live.length > 0 && Date.now() < deadline) {
    await sleep(pollMs);
    live = [...killer.liveGroups(live)];
  }
  return live;
}

/** TERM every group, wait out the grace, KILL what is left, then verify (GNU parallel's TERM,grace,KILL). */
export async function reapGroups(targets: ReapTarget[], opts: ReapOptions = {}): Promise<ReapResult> {
  const graceMs = opts.graceMs ?? REAP_DEFAULTS.graceMs;
  const verifyMs = opts.verifyMs ?? REAP_DEFAULTS.verifyMs;
  const pollMs = opts.pollMs ?? REAP_DEFAULTS.pollMs;
  const killer = opts.killer ?? groupKiller();
  const lister = opts.lister ?? ((pid: number) => probeProcess(pid));

  const skipped: number[] = [];
  const candidates: number[] = [];
  for (const t of targets) {
    const probe = lister(t.pid);
    // A dead leader is fine (its group may live on); a live leader with another start time is a reused pid.
    if (probe.alive && !sameProcess(probe, t.startTime)) skipped.push(t.pgid);
    else if (!candidates.includes(t.pgid)) candidates.push(t.pgid);
  }
  const live = [...killer.liveGroups(candidates)];
  for (const pgid of live) killer.signal(pgid, 'TERM');
  const afterTerm = await waitGone(killer, live, graceMs, pollMs);
  for (const pgid of afterTerm) killer.signal(pgid, 'KILL');
  const survivors = await waitGone(killer, afterTerm, verifyMs, pollMs);
  return {
    killed: live.filter((p) => !survivors.includes(p)),
    forced: afterTerm.filter((p) => !survivors.includes(p)),
    skipped,
    survivors,
  };
}
