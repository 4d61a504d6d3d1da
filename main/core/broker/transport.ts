// The broker as the agent and the supervisor see it: a small interface, so BullMQ (bullmq.ts) can
// be swapped for another engine that ties a completion to the task's lock.
import type { KillStep } from '../job/types.js';
import type { JoblogRow } from '../log/joblog.js';

/** One task as the supervisor signs it: everything the agent runs, nothing it fills in itself. */
export interface TaskPayload {
  runId: string;
  seq: number;
  file: string;
  args: string[];
  cwd: string;
  /** The job's env: keys only; the agent's own environment is the base */
  env: Record<string, string>;
  kill: KillStep[];
  /** The job's limits, run by the agent's local attempt path (absent: none) */
  timeoutMs?: number | null;
  /** Whole-tree RSS, bytes */
  memoryLimit?: number | null;
  daemons?: 'kill' | 'keep';
  /** Attempts made before this broker task (a retry's broker task carries the attempts so far) */
  attemptBase?: number;
  /** `{%}` was expanded to this token; the agent puts its slot number in its place */
  slotToken?: string | null;
  /** Ed25519 signature (base64) over the other fields, see signing.ts */
  sig?: string;
}

/** What an agent reports when an attempt ends: the joblog row (the supervisor writes it) and the output's tail. */
export interface AttemptReport {
  row: JoblogRow;
  /** Task output, capped (base64) */
  output: string;
}

/** A task an agent holds, with the lock that proves it. */
export interface HeldTask {
  payload: TaskPayload;
  /** BullMQ's count of times the task was taken (1 on the first attempt) */
  attempt: number;
  /** Set when the broker decided the task fails before it runs (its holders died too often) */
  failBeforeRun: string | null;
  readonly token: string;
}

export type LifecycleEvent =
  | { kind: 'start'; seq: number; host: string; pid: number | null; at: number; attempt: number; slot?: number }
  | { kind: 'end'; seq: number; report: AttemptReport }
  | { kind: 'superseded'; seq: number; report: AttemptReport }
  | { kind: 'lost'; seq: number }
  | { kind: 'failed'; seq: number; reason: string };

/** What an agent registers and publishes every 2 s (the host table's row). */
export interface AgentInfo {
  name: string;
  cores: number;
  memory: number;
  version: string;
  slots: number;
  busy: number;
  /** CPU of the tasks' trees, % of one core (absent from agents older than this field) */
  cpuPercent?: number;
  /** RSS of the tasks' trees, bytes */
  rss?: number;
  /** Attempts this agent ended since it started (the host table's tasks/s) */
  ended?: number;
  load: number;
  /** Free memory, bytes */
  free: number;
  at: number;
}

export interface CancelMessage {
  runId: string;
  /** null: every task of the run (stop job) */
  seq: number | null;
  mode: 'graceful' | 'force';
  /** Why (absent: a user's cancel or a job stop, rows say killed; halt: rows say interrupted) */
  reason?: 'job-stop' | 'halt';
}

export interface AgentTransport {
  /** Waits (briefly) for a task; null when none came */
  take(token: string): Promise<HeldTask | null>;
  /** Renews the lock; false when it is no longer ours */
  extend(task: HeldTask, ms: number): Promise<boolean>;
  /** Completes under the lock: 'superseded' when the lock was lost (the completion is rejected) */
  complete(task: HeldTask, report: AttemptReport): Promise<'done' | 'superseded'>;
  /** Fails for good (no retry): a refused signature */
  refuse(task: HeldTask, reason: string): Promise<void>;
  publish(runId: string, event: LifecycleEvent): Promise<void>;
  onCancel(cb: (m: CancelMessage) => void): Promise<void>;
  register(info: AgentInfo, ttlMs: number): Promise<void>;
  /** Starts moving tasks of dead holders back (BullMQ's stalled check) */
  watchStalled(): Promise<void>;
  close(): Promise<void>;
}

export interface SupervisorTransport {
  /** Idempotent: a task already added (same run, seq and retry) is not added again. `retry`: the n-th retry, after a delay */
  add(tasks: TaskPayload[], retry?: { n: number; delayMs: number }): Promise<void>;
  /** The run's lifecycle from a cursor; resolves with the next cursor */
  read(runId: string, cursor: string, blockMs: number): Promise<{ events: LifecycleEvent[]; cursor: string }>;
  /** The cursor of "now" (events after it are read) */
  head(runId: string): Promise<string>;
  /** A task's end, if the broker already has it (resume after a supervisor crash) */
  ended(runId: string, seq: number): Promise<LifecycleEvent | null>;
  /** Forgets a task's recorded end so that add() runs it again (a resumed run reruns a killed task) */
  forget(runId: string, seq: number): Promise<void>;
  cancel(m: CancelMessage): Promise<void>;
  /** Drops tasks of the run not yet taken */
  drain(runId: string, seqs: number[]): Promise<void>;
  agents(): Promise<AgentInfo[]>;
  /** Every agent's heartbeat as it is published; resolves once subscribed, with a function that stops it */
  watchAgents(cb: (info: AgentInfo) => void): Promise<() => void>;
  close(): Promise<void>;
}
