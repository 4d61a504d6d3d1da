import { useEffect } from 'react';
import { useApp, useValue } from '../../app/context.js';
import type { RunSummary, SupervisorEntry } from '../../../main/contract/runs.js';
import { runCountsText, runDurationText, runStartText } from './runFormat.js';
import { runsStateFor } from './runsState.js';
import { JobsList } from './JobsList.js';
import { jobsStateFor } from './jobsState.js';
import './runs.css';

// The Runs sidebar: this dashboard's jobs (several at once, each its own pool), other supervisors
// alive on this machine (watch one; Stop then stops its job) and the earlier runs kept in the state
// directory (open one read-only).

export function RunsSidebar() {
  const { api, ui } = useApp();
  const state = runsStateFor(api);
  useEffect(() => state.watch(), [state]);
  const sups = useValue(state.supervisors);
  const runs = useValue(state.runs);
  const open = useValue(state.open);
  const error = useValue(state.error);
  const expanded = useValue(state.expanded);
  const earlier = runs.filter((r) => !r.live);
  const jobsState = jobsStateFor(api);
  useEffect(() => jobsState.watch(), [jobsState]);
  const jobs = useValue(jobsState.jobs);
  const newJob = async () => {
    const r = await api.newJob(undefined);
    if (!r.ok) ui.notify({ level: 'error', kind: 'error', message: `New job failed: ${r.error.message}`, time: Date.now() });
    state.open.set(null);
    ui.selected.set(null);
    await Promise.all([jobsState.refresh(), state.refresh()]);
  };

  const watch = async (s: SupervisorEntry) => {
    const r = s.self ? await api.detachSupervisor(undefined) : await api.attachSupervisor({ pid: s.pid });
    if (!r.ok) ui.notify({ level: 'error', kind: 'error', message: `Watch failed: ${r.error.message}`, time: Date.now() });
    state.open.set(null);
    await state.refresh();
  };

  return (
    <nav className={expanded ? 'runs-sidebar' : 'runs-strip'} aria-label="Runs">
      <div className="runs-toggle">
        <button type="button" aria-expanded={expanded} aria-controls="runs-lists" onClick={() => state.expanded.set(!expanded)}>
          Runs
        </button>
        <span className="muted">
          {jobs?.jobs.length ?? 1} {jobs?.jobs.length === 1 ? 'job' : 'jobs'} · {sups.length} live · {earlier.length} earlier
        </span>
        <button type="button" onClick={() => void newJob()} title="A new job with its own pool; the others keep running">
          New job
        </button>
      </div>
      {expanded && (
        <div id="runs-lists">
          <JobsList jobs={jobs} runs={state} />
          <h2 id="live-runs-heading">Live</h2>
          <ul aria-labelledby="live-runs-heading" className="runs-list">
            {sups.map((s) => (
              <li key={s.pid}>
                <button
                  type="button"
                  className={`run-item${s.attached && !open ? ' current' : ''}`}
                  aria-current={s.attached && !open ? 'true' : undefined}
                  onClick={() => void watch(s)}
                >
                  <span className="run-name">{s.self ? 'This dashboard' : (s.jobName ?? 'no job loaded')}</span>{' '}
                  <span className="muted">
                    {s.self ? 'its jobs are above' : 'corral'} · pid {s.pid}
                  </span>
                </button>
              </li>
            ))}
            {sups.length === 0 && <li className="muted">No supervisor lists itself.</li>}
          </ul>
          <h2 id="earlier-runs-heading">Earlier runs</h2>
          {error && <p className="muted">{error}</p>}
          <ul aria-labelledby="earlier-runs-heading" className="runs-list">
            {earlier.map((r) => (
              <li key={r.runId}>
                <RunItem run={r} current={open?.runId === r.runId} onOpen={() => state.open.set(r)} />
              </li>
            ))}
            {earlier.length === 0 && <li className="muted">No earlier runs in the state directory.</li>}
          </ul>
        </div>
      )}
    </nav>
  );
}

function RunItem({ run, current, onOpen }: { run: RunSummary; current: boolean; onOpen: () => void }) {
  return (
    <button type="button" className={`run-item${current ? ' current' : ''}`} aria-current={current ? 'true' : undefined} onClick={onOpen}>
      <span className="run-name">{run.name}</span>{' '}
      <span className="muted">
        {runStartText(run.startedAt)} · {runDurationText(run)}
      </span>{' '}
      <span className="muted">{runCountsText(run.counts)}</span>
    </button>
  );
}
