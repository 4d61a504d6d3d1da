import { memo } from 'react';
import type { TaskState } from '../../main/contract/types.js';
import { useApp } from '../app/context.js';
import { focusTaskRow } from '../app/focus.js';

// Row actions, named "Stop task 7", "Kill task 7", … and shown only where the state allows them.

export type TaskAction = 'stop' | 'kill' | 'pause' | 'resume' | 'retry' | 'show';

export function actionsFor(state: TaskState): TaskAction[] {
  switch (state) {
    case 'running':
    case 'suspect':
    case 'stuck':
      return ['stop', 'kill', 'pause', 'show'];
    case 'paused':
      return ['resume', 'stop', 'kill', 'show'];
    case 'stopping':
      return ['kill', 'show'];
    case 'queued':
      return ['show'];
    case 'done':
    case 'failed':
    case 'killed':
    case 'timeout':
    case 'memory-killed':
    case 'interrupted':
    case 'skipped':
      return ['retry', 'show'];
  }
}

const labels: Record<TaskAction, string> = { stop: 'Stop', kill: 'Kill', pause: 'Pause', resume: 'Resume', retry: 'Retry', show: 'Show' };
const titles: Record<TaskAction, string> = {
  stop: 'Stop gracefully with the kill sequence',
  kill: 'Force-kill the whole process tree now',
  pause: 'Suspend the process tree (SIGSTOP)',
  resume: 'Continue the process tree (SIGCONT)',
  retry: 'Queue this task again',
  show: 'Show output, process tree and history',
};

export const TaskActions = memo(function TaskActions({ seq, state, hide }: { seq: number; state: TaskState; hide?: TaskAction }) {
  const { actions, ui } = useApp();
  const act = (a: Exclude<TaskAction, 'show'>) => {
    switch (a) {
      case 'stop': return actions.killTask(seq, 'graceful');
      case 'kill': return actions.killTask(seq, 'force');
      case 'pause': return actions.pauseTask(seq);
      case 'resume': return actions.resumeTask(seq);
      case 'retry': return actions.retryTask(seq);
    }
  };
  // The clicked button often disappears with the new state: focus goes back to the task's row.
  const run = (a: TaskAction) => (a === 'show' ? ui.selected.set(seq) : void act(a).then(() => focusTaskRow(seq)));
  return (
    <span className="task-actions">
      {actionsFor(state)
        .filter((a) => a !== hide)
        .map((a) => (
          <button
            key={a}
            type="button"
            className={`mini ${a === 'kill' ? 'danger' : ''}`}
            aria-label={`${labels[a]} task ${seq}`}
            title={titles[a]}
            onClick={() => run(a)}
          >
            {labels[a]}
          </button>
        ))}
    </span>
  );
});
