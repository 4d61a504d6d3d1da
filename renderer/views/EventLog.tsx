import { useMemo, useState } from 'react';
import { useApp, useValue } from '../app/context.js';
import { formatClock } from '../lib/format.js';
import { eventCategories, groupEvents, groupTitle, type EventCategory, type EventGroup } from '../lib/eventLog.js';
import { UnitText } from './UnitText.js';

// Failures, retries, stuck verdicts, kills, resizes and notices, grouped by what happened, so a
// storm of failures is one line that stays readable after the fact (a toast is gone in seconds).

const categoryLabel: Record<EventCategory, string> = {
  failure: 'Failures',
  retry: 'Retries',
  stuck: 'Stuck',
  kill: 'Kills and stops',
  resize: 'Resizes',
  notice: 'Notices',
};

/** Tasks listed under a group; the rest are counted (the task table's filter finds them all). */
const maxSeqsShown = 40;

export function EventLog() {
  const { ui } = useApp();
  const events = useValue(ui.events);
  const [only, setOnly] = useState<EventCategory | 'all'>('all');
  const groups = useMemo(() => groupEvents(events, only), [events, only]);
  return (
    <section aria-label="Event log" className="panel event-log">
      <details open>
        <summary>
          <h2>
            Event log <span className="num muted">{events.length}</span>
          </h2>
        </summary>
        <div className="event-tools">
          <label>
            Show{' '}
            <select aria-label="Show events" value={only} onChange={(e) => setOnly(e.target.value as EventCategory | 'all')}>
              <option value="all">All events</option>
              {eventCategories.map((c) => (
                <option key={c} value={c}>
                  {categoryLabel[c]}
                </option>
              ))}
            </select>
          </label>
          <DesktopNotifications />
          <button type="button" className="ghost mini" disabled={events.length === 0} onClick={() => ui.clearEvents()}>
            Clear log
          </button>
        </div>
        {groups.length === 0 ? (
          <p className="muted empty-line">{events.length === 0 ? 'Nothing has happened yet.' : 'No events of this kind.'}</p>
        ) : (
          <ul className="event-list" aria-label="Events" tabIndex={0}>
            {groups.slice(0, 200).map((g) => (
              <EventLine key={g.key} group={g} />
            ))}
          </ul>
        )}
      </details>
    </section>
  );
}

function EventLine({ group: g }: { group: EventGroup }) {
  const { ui } = useApp();
  const title = groupTitle(g);
  return (
    <li className={`event event-${g.level}`} data-category={g.category}>
      <span className="event-time num muted">{formatClock(g.last)}</span>
      {g.seqs.length > 1 ? (
        <details className="event-group">
          <summary>
            <UnitText text={title} />
          </summary>
          <div className="event-seqs">
            {g.seqs.slice(0, maxSeqsShown).map((seq) => (
              <button key={seq} type="button" className="mini" aria-label={`Open task ${seq}`} onClick={() => ui.selected.set(seq)}>
                #{seq}
              </button>
            ))}
            {g.seqs.length > maxSeqsShown && <span className="muted">and {g.seqs.length - maxSeqsShown} more</span>}
          </div>
        </details>
      ) : (
        <span className="event-text">
          <UnitText text={title} />
          {g.seqs.length === 1 && (
            <button type="button" className="mini" aria-label={`Open task ${g.seqs[0]}`} onClick={() => ui.selected.set(g.seqs[0])}>
              Open
            </button>
          )}
        </span>
      )}
    </li>
  );
}

/** Desktop notifications need the user's permission, asked on a click (browsers refuse it otherwise). */
function DesktopNotifications() {
  const supported = typeof Notification !== 'undefined';
  // Read once: Notification.permission is a synchronous call into the browser (3–4 ms a render in
  // headless Chromium), and this line re-renders with the event log on every tick.
  const [permission, setPermission] = useState(() => (supported ? Notification.permission : 'denied'));
  if (!supported) return null;
  if (permission === 'granted') return <span className="muted">Desktop notifications on</span>;
  return (
    <button
      type="button"
      className="ghost mini"
      disabled={permission === 'denied'}
      title={permission === 'denied' ? 'Notifications are blocked for this page in the browser settings' : undefined}
      onClick={() => void Notification.requestPermission().then(setPermission)}
    >
      Enable desktop notifications
    </button>
  );
}
