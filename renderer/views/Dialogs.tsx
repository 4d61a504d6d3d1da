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
  ['D', 'Drain: start no new tasks'],
  ['S', 'Stop all (graceful, kill sequence)'],
  ['K', 'Kill all (asks first)'],
  ['Esc', 'Close the task detail or dialog'],
  ['?', 'Show this list'],
];
