import { useEffect, useRef, useState } from 'react';
import type { JobInfo } from '../../main/contract/types.js';
import { useApp, useValue } from '../app/context.js';
import { formatCount, formatDuration, formatRate } from '../lib/format.js';
import { etaText, headerCounts, progressOf, progressSegments, type CountItem } from '../lib/jobSummary.js';
import { MachineTotal } from './runs/MachineTotal.js';

// The job at a glance and the global controls. Button names are part of the e2e contract.

const activeJobStates = new Set(['running', 'paused', 'draining', 'stopping']);

/** After a drain or a stop (not a halt), with tasks still queued. */
export function canStartRemaining(job: JobInfo | null): boolean {
  if (!job || job.haltReason || job.counts.queued === 0) return false;
  return job.state === 'draining' || job.state === 'stopping' || job.state === 'stopped';
}

export function Header() {
  const { job: jobStore, ui, actions } = useApp();
  const job = useValue(jobStore.job);
  const { ended, total, percent } = progressOf(job);
  const active = job !== null && activeJobStates.has(job.state);

  return (
    <header className="header">
      <div className="header-row">
        <div className="brand" aria-label="Corral">◆ Corral</div>
        <h1 className="job-name" title={job?.file ?? undefined}>{job?.name ?? 'No job loaded'}</h1>
        {job && <span className={`badge job-${job.state}`} data-testid="job-state">{job.state}</span>}
        {job?.haltReason && <span className="halt">{job.haltReason}</span>}
        <div className="spacer" />
        <PoolSize job={job} onResize={(n) => void actions.resize(n)} />
        <div className="controls" role="group" aria-label="Job controls">
          {job?.dispatchPaused ? (
            <button type="button" onClick={() => void actions.resume()} disabled={!active} title="Resume dispatch (Space)">
              <span aria-hidden="true">▶ </span>Resume dispatch
            </button>
          ) : (
            <button type="button" onClick={() => void actions.pause()} disabled={!active} title="Pause dispatch (Space)">
              <span aria-hidden="true">❚❚ </span>Pause dispatch
            </button>
          )}
          <button type="button" onClick={() => ui.dialog.set('drain')} disabled={!active || job.state === 'draining'} title="Start no new tasks; let running ones finish (D)">
            Drain
          </button>
          <button type="button" onClick={() => ui.dialog.set('stop-all')} disabled={!active || job.state === 'stopping'} title="Stop every running task with the kill sequence (S)">
            Stop all
          </button>
          {canStartRemaining(job) && (
            <button type="button" className="primary" onClick={() => void actions.startRemaining()} title="Dispatch the tasks a drain or stop left queued">
              Start remaining
            </button>
          )}
          <button type="button" className="danger" onClick={() => ui.dialog.set('kill-all')} disabled={!active} title="Force-kill every task tree (K)">
            Kill all
          </button>
          <button type="button" className="ghost" onClick={() => ui.dialog.set('shortcuts')} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">
            ?
          </button>
        </div>
      </div>
      <div className="header-row stats">
        <div
          className="progress"
          role="progressbar"
          aria-label="Job progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-valuetext={`${percent}% (${ended} of ${total} tasks ended)`}
        >
          {progressSegments(job).map((seg) => (
            <div key={seg.tone} className={`progress-seg tone-${seg.tone}`} style={{ width: `${seg.fraction * 100}%` }} />
          ))}
        </div>
        <span className="num strong">{percent.toFixed(1)}%</span>
        <dl className="counts" aria-label="Task counts">
          {job ? headerCounts(job).map((item) => <Count key={item.key} item={item} />) : <Count item={null} />}
        </dl>
        <dl className="counts">
          <div><dt>rate</dt><dd className="num">{job ? formatRate(job.tasksPerSecond) : '—'}</dd></div>
          <div title="Estimated time left; shown only while tasks are being dispatched"><dt>ETA</dt><dd className="num" data-testid="eta">{etaText(job)}</dd></div>
          <div><dt>elapsed</dt><dd className="num"><Elapsed job={job} /></dd></div>
          <div>
            <dt><label htmlFor="tick-interval">sampling</label></dt>
            <dd><TickInterval /></dd>
          </div>
          <div title="Dispatch order: input order, or longest first by the runtimes of earlier runs of this job">
            <dt>order</dt>
            <dd data-order={job?.ordering ?? ''}>{job ? (job.ordering === 'longest-first' ? 'longest first' : 'input') : '—'}</dd>
          </div>
        </dl>
        <MachineTotal />
      </div>
    </header>
  );
}

function Count({ item }: { item: CountItem | null }) {
  if (!item) return <div className="count"><dt>tasks</dt><dd className="num">—</dd></div>;
  return (
    <div className={`count tone-${item.tone}`} title={item.title}>
      <dt>{item.label}</dt>
      <dd className="num" data-count={item.key}>{formatCount(item.value)}</dd>
    </div>
  );
}

const tickChoices = [250, 500, 1000, 2000, 5000, 10_000];

/** How often the supervisor samples and sends a tick (`corral serve --tick` sets the start value). */
function TickInterval() {
  const { job: jobStore, actions } = useApp();
  const settings = useValue(jobStore.settings);
  const clock = useValue(jobStore.clock);
  const current = settings?.tickMs ?? clock.intervalMs;
  const choices = tickChoices.includes(current) ? tickChoices : [...tickChoices, current].sort((a, b) => a - b);
  return (
    <select id="tick-interval" className="tick-select" value={current} onChange={(e) => void actions.setTick(Number(e.target.value))} title="Sampling interval: how often CPU and memory are read and the dashboard updates">
      {choices.map((ms) => (
        <option key={ms} value={ms}>{ms < 1000 ? `${ms} ms` : `${ms / 1000} s`}</option>
      ))}
    </select>
  );
}

function Elapsed({ job }: { job: JobInfo | null }) {
  const { job: jobStore } = useApp();
  const clock = useValue(jobStore.clock);
  if (!job?.startedAt) return <>—</>;
  return <>{formatDuration((job.endedAt ?? clock.time) - job.startedAt)}</>;
}

/** Why a pool size typed by the user is refused, or null when it is fine (the contract allows 1…1024). */
export function poolSizeError(text: string): string | null {
  const t = text.trim();
  if (t === '') return 'Pool size: enter a number of slots from 1 to 1024.';
  const n = Number(t);
  if (!Number.isFinite(n)) return `Pool size must be a number from 1 to 1024 (got “${t}”).`;
  if (!Number.isInteger(n)) return `Pool size must be a whole number of slots (got ${t}).`;
  if (n < 1) return `Pool size must be at least 1 (got ${t}).`;
  if (n > 1024) return `Pool size must be at most 1024 (got ${t}).`;
  return null;
}

const overJobStates = new Set(['finished', 'stopped', 'halted']);

/** Commits after a short pause in typing/spinning, or at once on Enter/blur; says why a value is refused. */
function PoolSize({ job, onResize }: { job: JobInfo | null; onResize: (n: number) => void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const poolSize = job?.poolSize ?? 0;
  const over = job !== null && overJobStates.has(job.state);
  const commit = (text: string) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const problem = poolSizeError(text);
    setError(problem);
    if (problem) return; // the field keeps the refused text beside its message
    const n = Number(text);
    if (n !== poolSize) onResize(n);
    setDraft(null);
  };
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  return (
    <label className="pool-size">
      <span>Pool</span>
      <input
        type="number"
        aria-label="Pool size"
        aria-invalid={error !== null}
        aria-describedby={error ? 'pool-size-error' : undefined}
        min={1}
        max={1024}
        step={1}
        disabled={!job || over}
        title={over ? `The job is ${job?.state}: the pool has nothing left to run` : undefined}
        value={draft ?? String(poolSize || '')}
        onChange={(e) => {
          const text = e.target.value;
          setDraft(text);
          setError(null);
          if (timer.current) clearTimeout(timer.current);
          timer.current = setTimeout(() => commit(text), 600);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit(e.currentTarget.value);
          if (e.key === 'Escape') {
            setDraft(null);
            setError(null);
          }
        }}
        onBlur={(e) => {
          if (draft !== null) commit(e.currentTarget.value);
        }}
      />
      {error && (
        <span id="pool-size-error" role="alert" className="field-error">
          {error}
        </span>
      )}
    </label>
  );
}
