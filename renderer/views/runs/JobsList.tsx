import { useApp, useValue } from '../../app/context.js';
import type { LiveJobSummary, LiveJobs } from '../../../main/contract/runs.js';
import { canClose, jobCountsText, jobsStateFor } from './jobsState.js';
import type { RunsState } from './runsState.js';

// The jobs of this dashboard: pick one to watch and steer (the others keep running), close one
// that runs nothing.

export function JobsList({ jobs, runs }: { jobs: LiveJobs | null; runs: RunsState }) {
  const { api, ui } = useApp();
  const jobsState = jobsStateFor(api);
  const open = useValue(runs.open);
  const error = useValue(jobsState.error);
  const list = jobs?.jobs ?? [];
  const failed = (what: string, message: string) => ui.notify({ level: 'error', kind: 'error', message: `${what} failed: ${message}`, time: Date.now() });

  const select = async (j: LiveJobSummary) => {
    const r = await api.selectJob({ jobId: j.jobId });
    if (!r.ok) failed('Switch job', r.error.message);
    runs.open.set(null);
    ui.selected.set(null);
    ui.checked.set(new Set());
    await Promise.all([jobsState.refresh(), runs.refresh()]);
  };
  const close = async (j: LiveJobSummary) => {
    const r = await api.closeJob({ jobId: j.jobId });
    if (!r.ok) failed('Close job', r.error.message);
    await jobsState.refresh();
  };

  return (
    <>
      <h2 id="jobs-heading">Jobs here</h2>
      {error && <p className="muted">{error}</p>}
      <ul aria-labelledby="jobs-heading" className="runs-list">
        {list.map((j) => {
          const current = j.selected && !open;
          const name = j.name ?? 'New job (nothing loaded)';
          return (
            <li key={j.jobId} className="job-row" data-job={j.jobId}>
              <button type="button" className={`run-item${current ? ' current' : ''}`} aria-current={current ? 'true' : undefined} onClick={() => void select(j)}>
                <span className="run-name">{name}</span>{' '}
                <span className="muted">
                  {j.state} · {jobCountsText(j)}
                </span>
              </button>
              {canClose(j, list) && (
                <button type="button" className="ghost mini" aria-label={`Close job ${name}`} title="Remove this job from the dashboard (its joblog stays)" onClick={() => void close(j)}>
                  ✕
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
