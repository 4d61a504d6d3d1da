// Run history and live supervisors: what listRuns, getRunTasks and listSupervisors return.
import type { Outcome } from './types.js';

/** An earlier (or live) run found in the state directory: one joblog, plus its manifest if any. */
export interface RunSummary {
  /** "<job dir>/<joblog base name>", e.g. "compress-logs/2026-12-01T03-00-00-000Z" */
  runId: string;
  name: string;
  /** The job file the run loaded; null for a pasted job */
  file: string | null;
  joblog: string;
  startedAt: number | null;
  endedAt: number | null;
  /** Outcomes of each task's last attempt (all zero for a live run: its supervisor has them) */
  counts: { ok: number; failed: number; killed: number; interrupted: number; skipped: number };
  /** pid of the supervisor that ran it, when its manifest says */
  pid: number | null;
  /** Its supervisor is alive and has not finished it */
  live: boolean;
  /** The run's manifest was missing or unfinished: counts come from the joblog */
  fromJoblog: boolean;
}

/** One joblog row (one attempt), with the runtime of the same command in the previous run of the job. */
export interface RunTaskRow {
  seq: number;
  attempt: number;
  command: string;
  startTime: number; // epoch seconds
  runtime: number; // seconds
  exitval: number;
  signal: number;
  peakRss: number;
  cpuSeconds: number;
  outcome: Outcome;
  /** Runtime (s) of the last ok row of the same command in the previous run; null when none */
  previousRuntime: number | null;
}

export interface RunTaskPage {
  runId: string;
  /** Row offset in the joblog (header excluded) */
  offset: number;
  rows: RunTaskRow[];
  /** There are rows after this page */
  more: boolean;
  /** runId of the run compared against, or null */
  previousRunId: string | null;
}

export interface RunQuery {
  runId: string;
  offset: number;
  limit: number;
}

/** A supervisor on this machine that serves the contract on its control socket. */
export interface SupervisorEntry {
  pid: number;
  jobName: string | null;
  startedAt: number;
  socket: string;
  /** This process */
  self: boolean;
  /** The one this UI now watches and steers */
  attached: boolean;
}
