// `corral agent`: a local supervisor whose queue is remote. Each slot takes one task at a time
// under a lock, runs it through the same attempt path, kill sequences and orphan guard a local
// run uses, and fences itself: a task whose lock it cannot prove it still holds is killed.
import { randomUUID, type KeyObject } from 'node:crypto';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import type { JobSpec } from '../job/types.js';
import { recordAttemptEnd } from '../pool/attemptEnd.js';
import { mainExitedUnseen, noteMainExit } from '../pool/mainExit.js';
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
import type { AgentTransport, AttemptReport, CancelMessage, HeldTask, TaskPayload } from './transport.js';
import { AgentMonitor } from './agentMonitor.js';

/** Output shipped with a task's end; more stays on the agent. */
export const OUTPUT_CAP_BYTES = 64 * 1024;
export const REGISTER_EVERY_MS = 2000;
/** The agent's sampling tick (a local run's default) */
const SAMPLE_EVERY_MS = 1000;
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
  /** Why the agent itself ended the attempt: a cancel (a halt's: 'halt'), or fencing */
  endedBy: 'cancel' | 'halt' | 'fenced' | null;
}

export class Agent {
  readonly #o: AgentOptions;
  readonly #running = new Map<string, Running>();
  readonly #guard: OrphanGuard;
  #closing = false;
  #loops: Promise<void>[] = [];
  #registerTimer: NodeJS.Timeout | null = null;
  #sampleTimer: NodeJS.Timeout | null = null;
  readonly #monitor: AgentMonitor;
  #ended = 0;

  constructor(o: AgentOptions) {
    this.#o = o;
    this.#guard = new OrphanGuard({ resources: o.resources, stateDir: o.stateDir });
    this.#monitor = new AgentMonitor((err) => o.log(`corral agent: ${err.message}`));
  }

  async start(): Promise<void> {
    await this.#register();
    this.#registerTimer = setInterval(() => detach(this.#register(), () => {}), REGISTER_EVERY_MS);
    let sampling = false;
    this.#sampleTimer = setInterval(() => {
      if (sampling) return; // a slow scan on a loaded host skips a tick rather than piling up
      sampling = true;
      detach(this.#monitor.tick([...this.#running.values()]).finally(() => (sampling = false)), (err) => this.#o.log(`corral agent: sampling: ${err.message}`));
    }, SAMPLE_EVERY_MS);
    await this.#o.transport.onCancel((m) => this.#cancel(m));
    await this.#o.transport.watchStalled();
    for (let i = 1; i <= this.#o.slots; i++) this.#loops.push(this.#slotLoop(i));
  }

  async close(): Promise<void> {
    this.#closing = true;
    if (this.#registerTimer) clearInterval(this.#registerTimer);
    if (this.#sampleTimer) clearInterval(this.#sampleTimer);
    for (const r of this.#running.values()) detach(stopAttempt(r.t, 'force', 'quit', r.spec, () => {}), () => {});
    // A slot waiting on a broker that went away waits for ever: closing the transport ends its wait.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.#loops), new Promise((r) => (timer = setTimeout(r, CLOSE_WAIT_MS)))]);
    clearTimeout(timer);
    await this.#o.transport.close();
    await this.#guard.close();
    this.#monitor.close();
  }

  #register(): Promise<void> {
    const o = this.#o;
    const { cpuPercent, rss } = this.#monitor.load;
    const info = { name: o.name, cores: cpus().length, memory: totalmem(), free: freemem(), version: o.version, slots: o.slots, busy: this.#running.size, load: loadavg()[0], cpuPercent, rss, ended: this.#ended, at: Date.now() };
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
    const spec = taskSpec(p);
    const r: Running = { task, t, spec, endedBy: null };
    const key = `${p.runId}-${p.seq}`;
    this.#running.set(key, r);
    slot.taskSeq = p.seq;
    const stopFencing = this.#fence(r);
    const taskEnv = { ...process.env, ...p.env, [MARKER_ENV]: this.#guard.marker };
    // {%} is this agent's slot: the supervisor signed a placeholder in its place.
    const slotted = (a: string) => (p.slotToken ? a.replaceAll(p.slotToken, String(slot.index)) : a);
    let result: AttemptResult;
    try {
      result = await startAttempt(t, slot, spec, {
        taskEnv,
        hostScript: '',
        expand: () => ({ file: slotted(p.file), args: p.args.map(slotted), cwd: p.cwd, env: taskEnv }),
        results: new ResultStore(0),
      }, {
        changed: () => {},
        groupStarted: (pid, pgid, startTime) => {
          this.#guard.started(p.runId, t, pid, pgid, startTime);
          detach(this.#o.transport.publish(p.runId, { kind: 'start', seq: p.seq, host: this.#o.name, pid, at: t.info.startedAt ?? Date.now(), attempt: attemptOf(task), slot: slot.index }), () => {});
        },
        groupEnded: (pgid) => this.#guard.ended(pgid),
        onTimeout: () => this.#timeout(t, spec),
      });
    } finally {
      stopFencing();
      this.#guard.ended(t.live?.pgid ?? null);
      this.#running.delete(key);
      slot.taskSeq = null;
      this.#ended++;
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

  /** As a local run's timeout: the kill sequence, outcome timeout. */
  #timeout(t: TaskRecord, spec: JobSpec): void {
    if (!t.live || t.live.stopReason) return;
    if (mainExitedUnseen(t.live)) noteMainExit(t.live); // the exit names the outcome, the stop ends what it left
    t.live.stopMessage = `timed out after ${((Date.now() - t.live.startedAt) / 1000).toFixed(1)} s`;
    detach(stopAttempt(t, 'graceful', 'timeout', spec, () => {}), (err) => this.#o.log(`corral agent: timeout of task ${t.seq}: ${err.message}`));
  }

  #cancel(m: CancelMessage): void {
    for (const r of this.#running.values()) {
      const p = r.task.payload;
      if (p.runId !== m.runId || (m.seq !== null && p.seq !== m.seq)) continue;
      r.endedBy ??= m.reason === 'halt' ? 'halt' : 'cancel';
      detach(stopAttempt(r.t, m.mode, m.reason ?? (m.seq === null ? 'job-stop' : 'user'), r.spec, () => {}), (err) => this.#o.log(`corral agent: cancel of task ${p.seq}: ${err.message}`));
    }
  }

  #report(t: TaskRecord, task: HeldTask, result: AttemptResult, endedBy: Running['endedBy']): AttemptReport {
    // The row a local run would write for this attempt, under this agent's name.
    const { row } = recordAttemptEnd(t, t.live!, result, Date.now());
    row.host = this.#o.name;
    row.attempt = attemptOf(task);
    // A cancelled task is killed (not interrupted) whoever asked; a fenced one was someone else's by then.
    if (endedBy === 'fenced') row.outcome = 'superseded';
    else if (endedBy === 'cancel') row.outcome = 'killed';
    const out = t.output.read(Math.max(t.output.start, t.output.total - OUTPUT_CAP_BYTES));
    return { row, output: out.bytes.toString('base64') };
  }
}

/** The attempt number across the task's broker tasks: a retry's counts on from the attempts before it. */
function attemptOf(task: HeldTask): number {
  return (task.payload.attemptBase ?? 0) + task.attempt;
}

/** What the agent's attempt path reads of a job, from the signed task. */
function taskSpec(p: TaskPayload): JobSpec {
  const timeout = p.timeoutMs ? { ms: p.timeoutMs } : null;
  return { kill: p.kill, daemons: p.daemons ?? 'kill', timeout, memoryLimit: p.memoryLimit ?? null, module: null, python: null, cwd: p.cwd } as unknown as JobSpec;
}
