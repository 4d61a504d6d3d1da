import { useApp, useVersion } from '../app/context.js';
import { useNow } from '../app/dom.js';
import { formatClock, formatDuration } from '../lib/format.js';
import { TaskActions } from './TaskActions.js';

// Suspect and stuck tasks with the detector's evidence in words, so the user can decide.

export function StuckTasks() {
  const { tasks } = useApp();
  useVersion(tasks);
  const stuck = tasks.stuckTasks();
  const now = useNow(1000, stuck.length > 0);
  return (
    <section aria-label="Stuck tasks" className={`panel stuck-panel ${stuck.length ? 'has-stuck' : ''}`}>
      <h2>
        Stuck tasks <span className="num muted">{stuck.length}</span>
      </h2>
      {stuck.length === 0 ? (
        <p className="muted empty-line">No suspect or stuck tasks.</p>
      ) : (
        <ul className="stuck-list">
          {stuck.map((t) => (
            <li key={t.seq} className={`stuck-item s-${t.state}`} data-seq={t.seq}>
              <div className="stuck-head">
                <span className={`pill s-${t.state}`}>{t.state}</span>
                <strong className="num">#{t.seq}</strong>
                <span className="stuck-input" title={t.command}>{t.input}</span>
                {t.slot !== null && <span className="muted">slot {t.slot}</span>}
              </div>
              {t.stuck && (
                <p className="evidence">
                  {t.stuck.summary}
                  <span className="muted">
                    {' '}· since {formatClock(t.stuck.since)} ({formatDuration(Math.max(0, now - t.stuck.since))})
                  </span>
                </p>
              )}
              <TaskActions seq={t.seq} state={t.state} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
