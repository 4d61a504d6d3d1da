import type { TaskInfo } from '../../main/contract/types.js';
import { useApp, useVersion } from '../app/context.js';
import { useNow } from '../app/dom.js';
import { formatClock, formatDuration, middleEllipsis } from '../lib/format.js';
import { UnitText } from './UnitText.js';
import { TaskActions } from './TaskActions.js';

// Stuck tasks with the detector's evidence in words, so the user can decide. Stuck is a verdict
// and comes first; suspect is only a hint (sleeping or waiting on I/O looks the same), so those
// are folded away in a calmer colour where they cannot hide the one really stuck task.

export function splitStuck(rows: readonly TaskInfo[]): { stuck: TaskInfo[]; suspect: TaskInfo[] } {
  return { stuck: rows.filter((t) => t.state === 'stuck'), suspect: rows.filter((t) => t.state === 'suspect') };
}

export function suspectSummary(n: number): string {
  return `${n} suspect task${n === 1 ? '' : 's'} — hints, not verdicts`;
}

/** How long a task has been flagged; the page's 1 s clock can trail the verdict, so never "0 ms". */
export function stuckAge(since: number, now: number): string {
  return now - since < 1000 ? 'just now' : formatDuration(now - since);
}

export function StuckTasks() {
  const { tasks } = useApp();
  useVersion(tasks);
  const { stuck, suspect } = splitStuck(tasks.stuckTasks());
  const now = useNow(1000, stuck.length + suspect.length > 0);
  return (
    <section aria-label="Stuck tasks" className={`panel stuck-panel ${stuck.length ? 'has-stuck' : ''}`}>
      <h2>
        Stuck tasks <span className="num muted" data-testid="stuck-count">{stuck.length}</span>
      </h2>
      {stuck.length === 0 ? (
        <p className="muted empty-line">No stuck tasks.</p>
      ) : (
        <StuckList rows={stuck} now={now} />
      )}
      {suspect.length > 0 && (
        <details className="suspect-group">
          <summary>{suspectSummary(suspect.length)}</summary>
          <StuckList rows={suspect} now={now} />
        </details>
      )}
    </section>
  );
}

function StuckList({ rows, now }: { rows: TaskInfo[]; now: number }) {
  return (
    <ul className="stuck-list">
      {rows.map((t) => (
        <li key={t.seq} className={`stuck-item s-${t.state}`} data-seq={t.seq}>
          <div className="stuck-head">
            <span className={`pill s-${t.state}`}>{t.state}</span>
            <strong className="num">#{t.seq}</strong>
            <span className="stuck-input" title={`${t.input}\n${t.command}`}>{middleEllipsis(t.input, 36)}</span>
            {t.slot !== null && <span className="muted">slot {t.slot}</span>}
          </div>
          {t.stuck && (
            <p className="evidence">
              <UnitText text={t.stuck.summary} />
              <span className="muted">
                {' '}· since {formatClock(t.stuck.since)} ({stuckAge(t.stuck.since, now)})
              </span>
            </p>
          )}
          <TaskActions seq={t.seq} state={t.state} />
        </li>
      ))}
    </ul>
  );
}
