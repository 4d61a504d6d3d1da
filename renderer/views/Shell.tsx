import { useEffect, useRef } from 'react';
import { useApp, useValue } from '../app/context.js';
import { useNow } from '../app/dom.js';
import { formatCountdown } from '../lib/format.js';
import type { ConnectionStatus, Toast } from '../store/uiStore.js';
import { UnitText } from './UnitText.js';
import { JobPanel } from './JobPanel.js';

// The page's frame: connection banner, leftovers from a crash, toasts, the welcome screen.

export const needsLinkMessage = 'This dashboard needs the link printed by `corral serve`.';

export function connectionMessage(s: ConnectionStatus, now: number): string | null {
  switch (s.state) {
    case 'open':
      return null;
    case 'no-token':
      return `No access token in this page's address. ${needsLinkMessage}`;
    case 'refused':
      return `The server refused this dashboard's token (it changes every time corral serve starts). ${needsLinkMessage}`;
    case 'connecting':
      return s.everOpened || s.attempts === 0 ? (s.attempts === 0 ? null : 'Reconnecting to the Corral server…') : `Connecting to the Corral server…`;
    case 'closed': {
      const retry = s.retryAt === null ? '' : ` Retrying in ${formatCountdown(s.retryAt - now)}.`;
      if (s.everOpened) return `Disconnected from the Corral server.${retry}`;
      return `Cannot reach the Corral server, or it refused the connection.${retry} ${needsLinkMessage}`;
    }
  }
}

export function ConnectionBanner() {
  const { ui } = useApp();
  const status = useValue(ui.connection);
  const now = useNow(500, status.state === 'closed');
  const message = connectionMessage(status, now);
  if (!message) return null;
  const fatal = status.state === 'no-token' || status.state === 'refused';
  return (
    <div className={`banner ${fatal ? 'banner-error' : 'banner-warn'}`} role="alert">
      {message}
    </div>
  );
}

export function Leftovers() {
  const { job, actions } = useApp();
  const leftovers = useValue(job.leftovers).filter((l) => l.alive);
  if (leftovers.length === 0) return null;
  return (
    <section aria-label="Leftovers" className="banner banner-warn leftovers">
      <div>
        <strong>{leftovers.length} leftover {leftovers.length === 1 ? 'process' : 'processes'}</strong> from an earlier run that did not
        shut down cleanly are still alive:
        <ul>
          {leftovers.slice(0, 5).map((l) => (
            <li key={`${l.pid}:${l.startTime}`} className="num">
              pid {l.pid} (group {l.pgid}) — {l.job} task {l.seq}: <code>{l.command}</code>
            </li>
          ))}
          {leftovers.length > 5 && <li>… and {leftovers.length - 5} more</li>}
        </ul>
      </div>
      <button type="button" className="danger" onClick={() => void actions.killLeftovers()}>Kill leftovers</button>
    </section>
  );
}

export function Toasts() {
  const { ui } = useApp();
  const toasts = useValue(ui.toasts);
  return (
    <div className="toasts">
      {toasts.map((t) => (
        <ToastItem key={t.id} toast={t} onDismiss={() => ui.dismiss(t.id)} onShow={t.taskSeq ? () => ui.selected.set(t.taskSeq ?? null) : null} />
      ))}
    </div>
  );
}

function ToastItem({ toast, onDismiss, onShow }: { toast: Toast; onDismiss: () => void; onShow: (() => void) | null }) {
  const dismiss = useRef(onDismiss);
  dismiss.current = onDismiss;
  useEffect(() => {
    const h = setTimeout(() => dismiss.current(), toast.level === 'error' ? 15_000 : 8_000);
    return () => clearTimeout(h);
  }, [toast.level]);
  return (
    <div className={`toast toast-${toast.level}`} role={toast.level === 'info' ? 'status' : 'alert'}>
      <span><UnitText text={toast.message} /></span>
      {onShow && toast.taskSeq && (
        <button type="button" className="mini" aria-label={`Open task ${toast.taskSeq}`} onClick={onShow}>Open</button>
      )}
      <button type="button" className="ghost mini" aria-label="Dismiss" onClick={onDismiss}>✕</button>
    </div>
  );
}

export function Welcome() {
  const { actions } = useApp();
  return (
    <main className="welcome">
      <div className="welcome-card panel">
        <h2>No job loaded</h2>
        <p>
          Corral runs a command or a Node module over a list of inputs on a pool of processes, watches every process tree's CPU
          and memory, flags stuck tasks and stops them cleanly.
        </p>
        <p>Try the built-in demo — twenty short tasks: some fail, one hangs, one ignores SIGTERM — or load your own job file.</p>
        <button type="button" className="primary big" onClick={() => void actions.runDemo()}>Run demo</button>
        <p>Or the Python demo: Python functions in a reused host per slot, state loaded once by init, one exception, one os._exit.</p>
        <button type="button" className="big" onClick={() => void actions.runDemo('python')}>Python</button>
      </div>
      <JobPanel />
    </main>
  );
}
