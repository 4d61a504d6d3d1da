import type { LoadedJob } from '../../contract/types.js';
import type { RunQuery, RunSummary, RunTaskPage } from '../../contract/runs.js';
import { CorralFailure } from '../errors.js';
import { listRuns, runTasks, summariseRun } from './history.js';
import { pruneRuns, type Retention } from './prune.js';
import { joblogOfRun } from './paths.js';

export interface RunHandlerContext {
  stateDir: string;
  retention: Retention;
  /** The joblog the loaded job writes (never pruned) */
  currentJoblog(): string | null;
  /** Loads a job file and starts it, skipping what `from`'s joblog has as done (or ok) */
  rerun(file: string, from: { joblog: string; mode: 'resume' | 'resume-failed' }): Promise<LoadedJob>;
}

/** The contract's run-history methods, over the state directory's joblogs. */
export function runHandlers(ctx: RunHandlerContext) {
  return {
    listRuns: (): Promise<RunSummary[]> => listRuns(ctx.stateDir),
    getRunTasks: (q: RunQuery): Promise<RunTaskPage> => runTasks(ctx.stateDir, q),
    pruneRuns: async (a: Partial<Retention> | undefined) => {
      const keep = new Set([ctx.currentJoblog()].filter((p): p is string => p !== null));
      return { removed: await pruneRuns(ctx.stateDir, { ...ctx.retention, ...a }, keep) };
    },
    resumeRun: async (a: { runId: string; mode: 'resume' | 'resume-failed' }) => {
      const joblog = joblogOfRun(ctx.stateDir, a.runId);
      const run = await summariseRun(ctx.stateDir, joblog).catch(() => null);
      if (!run) throw new CorralFailure('NOT_FOUND', `no run ${a.runId}`);
      if (run.live) throw new CorralFailure('BAD_STATE', `run ${a.runId} is still running (pid ${run.pid})`);
      if (!run.file) throw new CorralFailure('NOT_FOUND', `run ${a.runId} has no job file on record (a pasted job, or an older Corral); load the job again`);
      return ctx.rerun(run.file, { joblog, mode: a.mode });
    },
  };
}
