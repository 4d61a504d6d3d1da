import type { JobInfo } from '../../contract/types.js';
import { countsOf, writeManifest, type RunManifest } from './manifest.js';
import { runIdOf } from './paths.js';
import { processStartTime } from '../stop/liveness.js';

/** Keeps a run's manifest beside its joblog: written as the job starts, again as it ends. */
export class RunRecorder {
  readonly #m: RunManifest;
  #writing: Promise<void> = Promise.resolve();

  /** null when the joblog is not one of the state directory's (--joblog elsewhere, or none) */
  static for(stateDir: string, joblog: string | null, job: { name: string; file: string | null }): RunRecorder | null {
    return joblog && runIdOf(stateDir, joblog) ? new RunRecorder(joblog, job) : null;
  }

  private constructor(joblog: string, job: { name: string; file: string | null }) {
    this.#m = { version: 1, name: job.name, file: job.file, joblog, pid: process.pid, pidStart: processStartTime(process.pid) ?? null, startedAt: null, endedAt: null, counts: null };
  }

  /** Resolves once every write asked for so far is on disk (the supervisor's close waits for it) */
  flushed(): Promise<void> {
    return this.#writing.then(
      () => {},
      () => {}, // the failure was reported by record()'s caller
    );
  }

  /** Writes are chained: an end never lands before the start it follows. */
  record(job: JobInfo): Promise<void> {
    this.#m.startedAt = job.startedAt;
    const over = job.state === 'finished' || job.state === 'halted' || job.state === 'stopped';
    this.#m.endedAt = over ? (job.endedAt ?? Date.now()) : null;
    this.#m.counts = over ? countsOf(job) : null;
    const snapshot = { ...this.#m };
    this.#writing = this.#writing.catch(() => {}).then(() => writeManifest(snapshot));
    return this.#writing;
  }
}
