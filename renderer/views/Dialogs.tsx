import { useEffect, useRef, type ReactNode } from 'react';
import { useApp, useValue } from '../app/context.js';

// Modal dialogs on the native <dialog> (focus trap, Escape, inert background for free).

function Modal({ title, id, children, onClose }: { title: string; id: string; children: ReactNode; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog ref={ref} aria-labelledby={`${id}-title`} className="modal" onClose={onClose}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </dialog>
  );
}

export function Dialogs() {
  const { ui, actions, job: jobStore } = useApp();
  const dialog = useValue(ui.dialog);
  const job = useValue(jobStore.job);
  const close = () => ui.dialog.set(null);
  if (dialog === 'kill-all') {
    const running = job?.counts.running ?? 0;
    return (
      <Modal title="Kill every task?" id="kill-all" onClose={close}>
        <p>
          This sends KILL to the whole process tree of {running} running {running === 1 ? 'task' : 'tasks'} at once, without the
          graceful kill sequence, and stops the job. Work in progress is lost.
        </p>
        <div className="modal-buttons">
          <button type="button" autoFocus onClick={close}>Cancel</button>
          <button
            type="button"
            className="danger solid"
            onClick={() => {
              close();
              void actions.killAll();
            }}
          >
            Kill all
          </button>
        </div>
      </Modal>
    );
  }
  if (dialog === 'stop-all' || dialog === 'drain') {
    const running = job?.counts.running ?? 0;
    const queued = job?.counts.queued ?? 0;
    const stop = dialog === 'stop-all';
    const tasks = (n: number) => `${n} ${n === 1 ? 'task' : 'tasks'}`;
    return (
      <Modal title={stop ? 'Stop every task?' : 'Drain the job?'} id={dialog} onClose={close}>
        <p>
          {stop
            ? `This stops the ${tasks(running)} running with the kill sequence and starts none of the ${tasks(queued)} queued.`
            : `No new task starts; the ${tasks(running)} running finish on their own. The ${tasks(queued)} queued stay queued.`}{' '}
          “Start remaining” runs the queued ones later.
        </p>
        <div className="modal-buttons">
          <button type="button" autoFocus onClick={close}>Cancel</button>
          <button
            type="button"
            className={stop ? 'danger solid' : 'primary'}
            onClick={() => {
              close();
              void (stop ? actions.stopAll() : actions.drain());
            }}
          >
            {stop ? 'Stop all' : 'Drain'}
          </button>
        </div>
      </Modal>
    );
  }
  if (dialog === 'shortcuts') {
    return (
      <Modal title="Keyboard shortcuts" id="shortcuts" onClose={close}>
        <table className="shortcuts">
          <tbody>
            {shortcutList.map(([k, what]) => (
              <tr key={k}><td><kbd>{k}</kbd></td><td>{what}</td></tr>
            ))}
          </tbody>
        </table>
        <div className="modal-buttons"><button type="button" autoFocus onClick={close}>Close</button></div>
      </Modal>
    );
  }
  return null;
}

export const shortcutList: [string, string][] = [
  ['Space', 'Pause / resume dispatch'],
  ['D', 'Drain: start no new tasks (asks first)'],
  ['S', 'Stop all (graceful, kill sequence; asks first)'],
  ['K', 'Kill all (asks first)'],
  ['/', 'Find tasks by input or output'],
  ['j / k', 'Next / previous task row; Enter opens it'],
  ['Esc', 'Close the task detail or dialog'],
  ['?', 'Show this list'],
];
