// `corral agent`: a local supervisor whose queue is remote. Each slot takes one task at a time
// under a lock, runs it through the same attempt path, kill sequences and orphan guard a local
// run uses, and fences itself: a task whose lock it cannot prove it still holds is killed.
import { randomUUID, type KeyObject } from 'node:crypto';
import { constants, cpus, freemem, loadavg, totalmem } from 'node:os';
import type { JobSpec } from '../job/types.js';
import { startAttempt, type AttemptResult } from '../pool/attempt.js';
import { OrphanGuard } from '../pool/orphanGuard.js';
import { ResultStore } from '../pool/results.js';
import type { Slot } from '../pool/slots.js';
import { TaskRecord } from '../pool/task.js';
import { stopAttempt } from '../pool/taskControl.js';
import { MARKER_ENV } from '../reap/protocol.js';
import type { CorralResources } from '../platform/resources.js';
import { detach } from '../errors.js';
import { checkSignature } from './signing.js';
import type { LockTimes } from './bullmq.js';
import type { AgentTransport, AttemptReport, CancelMessage, HeldTask } from './transport.js';
import type { JoblogRow } from '../log/joblog.js';

/** Output shipped with a task's end; more stays on the agent. */
export const OUTPUT_CAP_BYTES = 64 * 1024;
export const REGISTER_EVERY_MS = 2000;
/** How long a stopping agent waits for its running tasks' kill sequences before closing the connection */
const CLOSE_WAIT_MS = 15_000;

export interface AgentOptions {
  name: string;
  slots: number;
  version: string;
  trustKey: KeyObject;
  times: LockTimes;
  transport: AgentTransport;
  resources: CorralResources;
  stateDir: string;
  log(line: string): void;
}

interface Running {
  task: HeldTask;
  t: TaskRecord;
  spec: JobSpec;
  /** Why the agent itself ended the attempt: a cancel, or fencing */
  endedBy: 'cancel' | 'fenced' | null;
}

export class Agent {
  readonly #o: AgentOptions;
  readonly #running = new Map<string, Running>();
  readonly #guard: OrphanGuard;
  #closing = false;
  #loops: Promise<void>[] = [];
  #registerTimer: NodeJS.Timeout | null = null;

  constructor(o: AgentOptions) {
    this.#o = o;
    this.#guard = new OrphanGuard({ resources: o.resources, stateDir: o.stateDir });
  }

  async start(): Promise<void> {
    await this.#register();
    this.#registerTimer = setInterval(() => detach(this.#register(), () => {}), REGISTER_EVERY_MS);
    await this.#o.transport.onCancel((m) => this.#cancel(m));
    await this.#o.transport.watchStalled();
    for (let i = 1; i <= this.#o.slots; i++) this.#loops.push(this.#slotLoop(i));
  }

  async close(): Promise<void> {
    this.#closing = true;
    if (this.#registerTimer) clearInterval(this.#registerTimer);
    for (const r of this.#running.values()) detach(stopAttempt(r.t, 'force', 'quit', r.spec, () => {}), () => {});
    // A slot waiting on a broker that went away waits for ever: closing the transport ends its wait.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.#loops), new Promise((r) => (timer = setTimeout(r, CLOSE_WAIT_MS)))]);
    clearTimeout(timer);
    await this.#o.transport.close();
    await this.#guard.close();
  }

  #register(): Promise<void> {
    const o = this.#o;
    const info = { name: o.name, cores: cpus().length, memory: totalmem(), free: freemem(), version: o.version, slots: o.slots, busy: this.#running.size, load: loadavg()[0], at: Date.now() };
    return o.transport.register(info, REGISTER_EVERY_MS * 3);
  }

  async #slotLoop(index: number): Promise<void> {
    const slot: Slot = { index, taskSeq: null, host: null, next: [], retiring: false };
    while (!this.#closing) {
      let task: HeldTask | null;
      try {
        task = await this.#o.transport.take(randomUUID());
      } catch {
        await new Promise((r) => setTimeout(r, 500)); // broker away: try again; held tasks fence on their own
        continue;
      }
      if (!task) continue;
      if (this.#closing) break; // the lock lapses and the task is offered again elsewhere
      await this.#run(task, slot).catch((err: Error) => this.#o.log(`corral agent: task ${task.payload.seq}: ${err.message}`));
    }
  }

  async #run(task: HeldTask, slot: Slot): Promise<void> {
    const p = task.payload;
    if (task.failBeforeRun) {
      this.#o.log(`corral agent: task ${p.seq} of run ${p.runId}: ${task.failBeforeRun}; not run again`);
      await this.#o.transport.refuse(task, task.failBeforeRun);
      return;
    }
    const refused = checkSignature(p, this.#o.trustKey);
    if (refused) {
      this.#o.log(`corral agent: refused task ${p.seq} of run ${p.runId}: ${refused} (not signed by the trusted key)`);
      await this.#o.transport.refuse(task, `refused by agent ${this.#o.name}: ${refused}`);
      return;
    }
    const t = new TaskRecord(p.seq, '', [p.file, ...p.args].join(' '));
    const spec = { kill: p.kill, daemons: 'kill', timeout: null, module: null, python: null, cwd: p.cwd } as unknown as JobSpec;
    const r: Running = { task, t, spec, endedBy: null };
    const key = `${p.runId}-${p.seq}`;
    this.#running.set(key, r);
    slot.taskSeq = p.seq;
    const stopFencing = this.#fence(r);
    const taskEnv = { ...process.env, ...p.env, [MARKER_ENV]: this.#guard.marker };
    let result: AttemptResult;
    try {
      result = await startAttempt(t, slot, spec, {
        taskEnv,
        hostScript: '',
        expand: () => ({ file: p.file, args: p.args, cwd: p.cwd, env: taskEnv }),
        results: new ResultStore(0),
      }, {
        changed: () => {},
        groupStarted: (pid, pgid, startTime) => {
          this.#guard.started(p.runId, t, pid, pgid, startTime);
          detach(this.#o.transport.publish(p.runId, { kind: 'start', seq: p.seq, host: this.#o.name, pid, at: t.info.startedAt ?? Date.now(), attempt: task.attempt }), () => {});
        },
        groupEnded: (pgid) => this.#guard.ended(pgid),
        onTimeout: () => {},
      });
    } finally {
      stopFencing();
      this.#guard.ended(t.live?.pgid ?? null);
      this.#running.delete(key);
      slot.taskSeq = null;
    }
    const report = this.#report(t, task, result, r.endedBy);
    const how = await this.#o.transport.complete(task, report);
    if (how === 'superseded') {
      report.row.outcome = 'superseded';
      this.#o.log(`corral agent: task ${p.seq} of run ${p.runId}: its lock was lost; the result is recorded as superseded`);
      await this.#o.transport.publish(p.runId, { kind: 'superseded', seq: p.seq, report });
    }
  }

  /** Renews the lock every third of its life; kills the tree once it cannot prove the lock is still its own. */
  #fence(r: Running): () => void {
    const { lockMs } = this.#o.times;
    let lastOk = Date.now();
    let busy = false;
    const fence = (why: string) => {
      if (r.endedBy || r.t.live?.ended) return;
      r.endedBy = 'fenced';
      this.#o.log(`corral agent: task ${r.task.payload.seq}: ${why}; killing its tree (another agent may run it now)`);
      detach(stopAttempt(r.t, 'force', 'quit', r.spec, () => {}), () => {});
    };
    const timer = setInterval(() => {
      if (Date.now() - lastOk > lockMs) return fence(`broker unreachable for ${Date.now() - lastOk} ms, longer than the ${lockMs} ms lock`);
      if (busy) return;
      busy = true;
      this.#o.transport.extend(r.task, lockMs).then(
        (ok) => {
          busy = false;
          if (ok) lastOk = Date.now();
          else fence('lock renewal refused (the lock expired)');
        },
        () => (busy = false), // unreachable: the clock above decides
      );
    }, Math.max(100, Math.floor(lockMs / 3)));
    return () => clearInterval(timer);
  }

  #cancel(m: CancelMessage): void {
    for (const r of this.#running.values()) {
      const p = r.task.payload;
      if (p.runId !== m.runId || (m.seq !== null && p.seq !== m.seq)) continue;
      r.endedBy ??= 'cancel';
      detach(stopAttempt(r.t, m.mode, m.seq === null ? 'job-stop' : 'user', r.spec, () => {}), (err) => this.#o.log(`corral agent: cancel of task ${p.seq}: ${err.message}`));
    }
  }

  #report(t: TaskRecord, task: HeldTask, result: AttemptResult, endedBy: Running['endedBy']): AttemptReport {
    const info = t.info;
    const startedAt = info.startedAt ?? Date.now();
    const signal = result.signal ? (constants.signals[result.signal as NodeJS.Signals] ?? 0) : 0;
    const row: JoblogRow = {
      seq: task.payload.seq,
      host: this.#o.name,
      startTime: startedAt / 1000,
      runtime: (Date.now() - startedAt) / 1000,
      send: 0,
      receive: t.live?.receive ?? 0,
      exitval: result.exitCode ?? -1,
      signal,
      command: info.command,
      attempt: task.attempt,
      peakRss: info.peakRss ?? 0,
      cpuSeconds: info.cpuSeconds ?? 0,
      outcome: endedBy === 'fenced' ? 'superseded' : endedBy === 'cancel' ? 'killed' : result.ok ? 'ok' : 'failed',
    };
    const out = t.output.read(Math.max(t.output.start, t.output.total - OUTPUT_CAP_BYTES));
    return { row, output: out.bytes.toString('base64') };
  }
}
