import { probeProcess, sameProcess, type ProcessProber } from '../stop/index.js';
import { groupKiller, type GroupKiller, type ReapTarget } from './groupKill.js';

export type { ReapTarget } from './groupKill.js';

export interface ReapOptions {
  /** Time between TERM and KILL. */
  graceMs?: number;
  /** How long to wait for the groups to vanish after KILL. */
  verifyMs?: number;
  pollMs?: number;
  killer?: GroupKiller;
  lister?: ProcessProber;
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

async function waitGone(killer: GroupKiller, targets: ReapTarget[], ms: number, pollMs: number): Promise<ReapTarget[]> {
  const deadline = Date.now() + ms;
  const stillLive = (list: ReapTarget[]) => {
    const live = killer.liveGroups(list);
    return list.filter((t) => live.has(t.pgid));
  };
  let live = stillLive(targets);
  while (live.length > 0 && Date.now() < deadline) {
    await sleep(pollMs);
    live = stillLive(live);
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
  const candidates: ReapTarget[] = [];
  for (const t of targets) {
    const probe = lister(t.pid);
    // A dead leader is fine (its group may live on); a live leader with another start time is a reused pid.
    if (probe.alive && !sameProcess(probe, t.startTime)) skipped.push(t.pgid);
    else if (!candidates.some((c) => c.pgid === t.pgid)) candidates.push(t);
  }
  const pgids = (list: ReapTarget[]) => list.map((t) => t.pgid);
  const liveSet = killer.liveGroups(candidates);
  const live = candidates.filter((t) => liveSet.has(t.pgid));
  for (const t of live) killer.signal(t, 'TERM');
  const afterTerm = await waitGone(killer, live, graceMs, pollMs);
  for (const t of afterTerm) killer.signal(t, 'KILL');
  const survivors = pgids(await waitGone(killer, afterTerm, verifyMs, pollMs));
  return {
    killed: pgids(live).filter((p) => !survivors.includes(p)),
    forced: pgids(afterTerm).filter((p) => !survivors.includes(p)),
    skipped,
    survivors,
  };
}
