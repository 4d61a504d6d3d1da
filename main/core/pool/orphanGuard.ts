import { randomBytes } from 'node:crypto';
import { openLedger, reapMarkedAtClose, startReaper, processStartTime, type Ledger, type Reaper } from '../reap/index.js';
import { isKeptDaemon, onKeptDaemon } from '../stop/index.js';
import type { CorralResources } from '../platform/resources.js';
import type { TaskRecord } from './task.js';

/**
 * Zero orphans: every task's process group is told to the reaper (which kills them all if
 * this process dies) and written to the ledger (which the next start reads if the reaper died too).
 */
export class OrphanGuard {
  #reaper: Reaper | null;
  #ledger: Ledger | null;
  readonly #unsubscribe: () => void;
  /** CORRAL_SUPERVISOR in every task's environment: unique to this supervisor, told to its reaper */
  readonly marker = `${process.pid}-${randomBytes(8).toString('hex')}`;

  /** ledgerPart: set for every supervisor of a process but the first (several jobs in the app or serve) */
  constructor(opts: { resources: CorralResources; execPath?: string; stateDir: string; ledgerPart?: string }) {
    const log = (m: string) => process.stderr.write(m.startsWith('corral: ') ? `${m}\n` : `corral: ${m}\n`);
    this.#reaper = tryOr(() => startReaper({ script: opts.resources.reaperScript, execPath: opts.execPath, log, marker: this.marker }), log, 'reaper');
    this.#ledger = tryOr(() => openLedger({ dir: opts.stateDir, log, part: opts.ledgerPart }), log, 'ledger');
    this.#unsubscribe = onKeptDaemon((pid, startTime) => this.#reaper?.spare(pid, startTime));
  }

  /** startTime: read at spawn (the spawn helper may have reaped the pid since); undefined: read it now */
  started(job: string, t: TaskRecord, pid: number, pgid: number | null, knownStartTime?: string): void {
    const group = pgid ?? pid;
    const startTime = knownStartTime ?? processStartTime(pid) ?? '';
    this.#reaper?.add({ pgid: group, pid, startTime });
    this.#ledger?.add({ pid, pgid: group, startTime, job, seq: t.seq, command: t.info.command });
  }

  ended(pgid: number | null): void {
    if (pgid === null) return;
    this.#reaper?.remove(pgid);
    this.#ledger?.remove(pgid);
  }

  async close(): Promise<void> {
    // What still carries the marker (a module task's daemon, one that escaped a task's end) goes too.
    this.#unsubscribe();
    await reapMarkedAtClose(this.marker, (p) => isKeptDaemon(p.pid, p.startTime)).catch(() => null);
    await this.#reaper?.close();
    this.#ledger?.close();
  }
}

function tryOr<T>(f: () => T, log: (m: string) => void, what: string): T | null {
  try {
    return f();
  } catch (err) {
    log(`${what} unavailable: ${(err as Error).message}`);
    return null;
  }
}
