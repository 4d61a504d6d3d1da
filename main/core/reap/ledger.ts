import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Leftover } from '../../contract/types.js';
import type { GroupKiller } from './groupKill.js';
import { groupKiller } from './groupKill.js';
import {
  formatCompactLedger,
  formatLedgerLine,
  LEDGER_FILE,
  ledgerFileName,
  parseLedger,
  shouldCompact,
  type LedgerEntry,
  type LedgerOwner,
} from './ledgerFile.js';
import { probeProcess, sameProcess, type ProcessProber } from '../stop/index.js';
import { reapGroups } from './reapGroups.js';
import { stateDir } from './stateDir.js';

export interface Ledger {
  readonly path: string;
  add(entry: LedgerEntry): void;
  remove(pgid: number): void;
  /** Removes the file: a clean exit leaves nothing to reap. */
  close(): void;
}

export interface LedgerOptions {
  dir?: string;
  ownerPid?: number;
  /** A second supervisor in this process needs its own file (see ledgerFileName) */
  part?: string;
  listProcesses?: ProcessProber;
  /** Compaction threshold in lines (tests lower it). */
  compactAt?: number;
  log?: (message: string) => void;
}

const defaultLister: ProcessProber = (pid) => probeProcess(pid);
const defaultLog = (message: string): void => console.warn(message);

/**
 * One append-only file per supervisor, each line written synchronously so a crash right after
 * spawning a task cannot lose its record. A stale file left by a dead owner with our pid is moved
 * aside (not truncated) so findLeftovers still sees it.
 */
export function openLedger(opts: LedgerOptions = {}): Ledger {
  const dir = opts.dir ?? stateDir();
  const lister = opts.listProcesses ?? defaultLister;
  const log = opts.log ?? defaultLog;
  const ownerPid = opts.ownerPid ?? process.pid;
  const owner: LedgerOwner = { pid: ownerPid, startTime: lister(ownerPid).startTime };
  const path = join(dir, ledgerFileName(ownerPid, opts.part));
  const live = new Map<number, LedgerEntry>();
  let lines = 1;
  let fd: number | undefined;
  let failed = false;
  let closed = false;

  const fail = (err: unknown): void => {
    if (!failed) log(`corral: cannot write the task ledger ${path}: ${(err as Error).message}; tasks left by a crash may not be found`);
    failed = true;
  };
  const rewrite = (): void => {
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, formatCompactLedger(owner, live.values()));
    renameSync(tmp, path); // atomic: a crash leaves the old file or the new one, never half of one
    if (fd !== undefined) closeSync(fd);
    fd = openSync(path, 'a');
    lines = live.size + 1;
  };
  const append = (text: string): void => {
    if (closed || fd === undefined) return;
    try {
      writeSync(fd, text);
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
      if (shouldCompact(lines, live.size, opts.compactAt)) rewrite();
    } catch (err) {
      fail(err);
    }
  };

  try {
    mkdirSync(dir, { recursive: true });
    if (existsSync(path)) {
      const old = parseLedger(readFileSync(path, 'utf8'));
      if (old.owner?.pid === owner.pid && old.owner.startTime === owner.startTime) {
        for (const [pgid, e] of old.entries) live.set(pgid, e); // reopened by this very process
      } else {
        renameSync(path, join(dir, `ledger-${ownerPid}${opts.part ? `-${opts.part}` : ''}-stale-${Date.now()}.jsonl`));
      }
    }
    rewrite();
  } catch (err) {
    fail(err);
  }

  // An add is written at once (a crash must not lose it); removes wait for the next add or a
  // short timer and go out together: a lost remove only makes findLeftovers probe a dead pid.
  let pendingRemoves = '';
  let flushTimer: NodeJS.Timeout | null = null;
  const flushRemoves = (): void => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    if (!pendingRemoves) return;
    const text = pendingRemoves;
    pendingRemoves = '';
    append(text);
  };

  return {
    path,
    add(entry) {
      live.set(entry.pgid, { ...entry });
      append(pendingRemoves + formatLedgerLine({ op: 'add', ...entry }));
      pendingRemoves = '';
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = null;
    },
    remove(pgid) {
      if (!live.delete(pgid)) return;
      pendingRemoves += formatLedgerLine({ op: 'remove', pgid });
      if (!flushTimer) {
        flushTimer = setTimeout(flushRemoves, 250);
        flushTimer.unref();
      }
    },
    close() {
      if (closed) return;
      flushRemoves();
      closed = true;
      try {
        if (fd !== undefined) closeSync(fd);
        unlinkSync(path);
      } catch {
        // Already gone: nothing to clean.
      }
    },
  };
}

export interface LeftoverOptions {
  dir?: string;
  listProcesses?: ProcessProber;
  killer?: GroupKiller;
}

function ownerAlive(owner: LedgerOwner | undefined, fileName: string, lister: ProcessProber): boolean {
  const pid = owner?.pid ?? Number(/^ledger-(\d+)/.exec(fileName)?.[1]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  return sameProcess(lister(pid), owner?.startTime);
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Another starting supervisor may have cleaned it first.
  }
}

/**
 * Tasks recorded by supervisors that are now dead and whose process (or, with the leader gone, whose
 * group) is still alive. Ledgers of dead owners with nothing left alive are deleted on the way.
 */
export async function findLeftovers(opts: LeftoverOptions = {}): Promise<Leftover[]> {
  const dir = opts.dir ?? stateDir();
  const lister = opts.listProcesses ?? defaultLister;
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => LEDGER_FILE.test(n)).sort();
  } catch {
    return [];
  }
  const leftovers: Leftover[] = [];
  for (const name of names) {
    const path = join(dir, name);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    const ledger = parseLedger(text);
    if (ownerAlive(ledger.owner, name, lister)) continue;
    const orphanedGroups: LedgerEntry[] = [];
    let found = 0;
    for (const e of ledger.entries.values()) {
      const probe = lister(e.pid);
      if (sameProcess(probe, e.startTime)) {
        leftovers.push({ ...e, alive: true });
        found++;
      } else if (!probe.alive) orphanedGroups.push(e);
    }
    // Leader gone but group alive (e.g. `sh -c 'a & b'` after sh exited): still a leftover.
    if (orphanedGroups.length > 0) {
      const live = (opts.killer ?? groupKiller()).liveGroups(orphanedGroups);
      for (const e of orphanedGroups) {
        if (!live.has(e.pgid)) continue;
        leftovers.push({ ...e, alive: true });
        found++;
      }
    }
    if (found === 0) unlinkQuietly(path);
  }
  return leftovers;
}

export interface KillLeftoverOptions extends LeftoverOptions {
  graceMs?: number;
  verifyMs?: number;
}

/** TERM, grace, KILL, verify; then drops ledgers that have nothing alive left. Returns groups killed. */
export async function killLeftovers(leftovers: Leftover[], opts: KillLeftoverOptions = {}): Promise<number> {
  const lister = opts.listProcesses ?? defaultLister;
  const result = await reapGroups(leftovers, {
    graceMs: opts.graceMs,
    verifyMs: opts.verifyMs,
    lister,
    killer: opts.killer,
  });
  await findLeftovers({ dir: opts.dir, listProcesses: lister, killer: opts.killer });
  return result.killed.length;
}
