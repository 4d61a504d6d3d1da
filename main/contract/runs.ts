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

/** One live job of this process (the app and `corral serve` hold several, each with its own pool). */
export interface LiveJobSummary {
  /** "job-N", N counting up from 1 in this process */
  jobId: string;
  name: string | null;
  /** JobState, or 'empty' before a job is loaded */
  state: string;
  done: number;
  failed: number;
  total: number;
  running: number;
  /** Slots with a task in them at the last tick */
  busy: number;
  poolSize: number;
  /** The one this UI's calls and events go to */
  selected: boolean;
}

/** Every live job of this process and the machine's total over them. */
export interface LiveJobs {
  jobs: LiveJobSummary[];
  /** Busy slots over all live jobs */
  busy: number;
  /** Pool sizes summed over the jobs that are running (or paused, draining, stopping) */
  pools: number;
  cores: number;
  /** Mean busy % over the machine's cores at the last tick; null before the first one */
  machineCpuPercent: number | null;
}
