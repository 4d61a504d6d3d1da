import { useEffect, useState } from 'react';
import { useApp, useValue } from '../../app/context.js';
import type { RunSummary, RunTaskPage } from '../../../main/contract/runs.js';
import { formatBytes, formatDuration } from '../../lib/format.js';
import { runCountsText, runDurationText, runStartText, runtimeChange } from './runFormat.js';
import { runsStateFor } from './runsState.js';

// An earlier run, read-only, rebuilt from its joblog a page at a time; Resume and Retry failed
// start a new run of its job file.

const PAGE = 100;

export function RunView({ run }: { run: RunSummary }) {
  const { api, ui } = useApp();
  const state = runsStateFor(api);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<RunTaskPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const live = useValue(state.supervisors).some((s) => s.self && s.attached);

  useEffect(() => {
    let gone = false;
    void api.getRunTasks({ runId: run.runId, offset, limit: PAGE }).then((r) => {
      if (gone) return;
      if (r.ok) setPage(r.value);
      setError(r.ok ? null : `Could not read the joblog: ${r.error.message}`);
    });
    return () => {
      gone = true;
    };
  }, [api, run.runId, offset]);

  const rerun = async (mode: 'resume' | 'resume-failed') => {
    const r = await api.resumeRun({ runId: run.runId, mode });
    if (!r.ok) {
      ui.notify({ level: 'error', kind: 'error', message: `${mode === 'resume' ? 'Resume' : 'Retry failed'} failed: ${r.error.message}`, time: Date.now() });
      return;
    }
    state.open.set(null);
    await state.refresh();
  };
  const title = `${run.name}, ${runStartText(run.startedAt)}`;

  return (
    <main className="run-view" aria-label={`Earlier run ${title}`}>
      <div className="run-view-head">
        <h1>{title}</h1>
        <span className="badge">read-only</span>
        <span className="spacer" />
        <button type="button" className="primary" disabled={!run.file || !live} onClick={() => void rerun('resume')}>
          Resume
        </button>
        <button type="button" disabled={!run.file || !live || run.counts.failed + run.counts.killed + run.counts.interrupted === 0} onClick={() => void rerun('resume-failed')}>
          Retry failed
        </button>
        <button type="button" onClick={() => state.open.set(null)}>
          Close
        </button>
      </div>
      <p>
        {runDurationText(run)} · {runCountsText(run.counts)}
        {run.file ? (
          <>
            {' '}
            · <code>{run.file}</code>
          </>
        ) : (
          ' · pasted job: load it again to rerun'
        )}
        {!live && run.file && ' · Resume and Retry failed run on this dashboard’s own supervisor: watch “This dashboard” first'}
      </p>
      <p className="muted">
        Joblog <code>{run.joblog}</code>
        {page?.previousRunId ? ` · runtimes compared with the previous run, ${page.previousRunId.split('/')[1]}` : ' · no earlier run of this job to compare with'}
      </p>
      {error && <p role="alert">{error}</p>}
      <div className="run-table-wrap">
        <table className="run-table">
          <caption className="visually-hidden">Attempts of {title}, from its joblog</caption>
          <thead>
            <tr>
              <th scope="col" className="num">Seq</th>
              <th scope="col" className="num">Attempt</th>
              <th scope="col">Command</th>
              <th scope="col">Outcome</th>
              <th scope="col" className="num">Runtime</th>
              <th scope="col" className="num">Previous run</th>
              <th scope="col" className="num">Change</th>
              <th scope="col" className="num">Peak RSS</th>
            </tr>
          </thead>
          <tbody>
            {page?.rows.map((r) => (
              <tr key={`${r.seq}:${r.attempt}:${r.startTime}`}>
                <td className="num">{r.seq}</td>
                <td className="num">{r.attempt}</td>
                <td className="command" title={r.command}>{r.command}</td>
                <td className={`outcome-${r.outcome}`}>{r.outcome === 'ok' ? 'ok' : `${r.outcome} (exit ${r.exitval}${r.signal ? `, signal ${r.signal}` : ''})`}</td>
                <td className="num">{formatDuration(r.runtime * 1000)}</td>
                <td className="num">{r.previousRuntime === null ? '—' : formatDuration(r.previousRuntime * 1000)}</td>
                <td className="num">{runtimeChange(r.runtime, r.previousRuntime)}</td>
                <td className="num">{r.peakRss ? formatBytes(r.peakRss) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="run-pager">
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          Previous page
        </button>
        <span className="muted">
          {page && page.rows.length ? `rows ${offset + 1}–${offset + page.rows.length}` : 'no rows'}
        </span>
        <button type="button" disabled={!page?.more} onClick={() => setOffset(offset + PAGE)}>
          Next page
        </button>
      </div>
    </main>
  );
}
