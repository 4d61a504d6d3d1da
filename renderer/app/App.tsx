import { useApp, useValue } from './context.js';
import { useShortcuts } from './shortcuts.js';
import { Dialogs } from '../views/Dialogs.js';
import { EventLog } from '../views/EventLog.js';
import { Header } from '../views/Header.js';
import { Hosts } from '../views/Hosts.js';
import { JobPanel } from '../views/JobPanel.js';
import { LoadBalancing } from '../views/LoadBalancing.js';
import { ConnectionBanner, Leftovers, Toasts, Welcome } from '../views/Shell.js';
import { StuckTasks } from '../views/StuckTasks.js';
import { TaskDetail } from '../views/TaskDetail.js';
import { TaskTable } from '../views/TaskTable.js';
import { RunsSidebar } from '../views/runs/RunsSidebar.js';
import { RunView } from '../views/runs/RunView.js';
import { runsStateFor } from '../views/runs/runsState.js';

// Page layout: header; then either the welcome screen or the dashboard (load balancing and the
// task table on the left, stuck tasks, the selected task and the job file on the right).

export function App() {
  const app = useApp();
  useShortcuts(app);
  const ready = useValue(app.job.ready);
  const job = useValue(app.job.job);
  const selected = useValue(app.ui.selected);
  const empty = job === null || job.state === 'empty';
  const openRun = useValue(runsStateFor(app.api).open);

  return (
    <div className="app">
      <ConnectionBanner />
      <Header />
      <Leftovers />
      <RunsSidebar />
      {openRun ? (
        <RunView key={openRun.runId} run={openRun} />
      ) : !ready ? (
        <main className="loading" aria-busy="true">Loading…</main>
      ) : empty ? (
        <Welcome />
      ) : (
        <main className="dashboard">
          <div className="main-col">
            <LoadBalancing />
            <Hosts />
            <TaskTable />
          </div>
          <aside className="side-col">
            <StuckTasks />
            <EventLog />
            {selected !== null && <TaskDetail key={selected} seq={selected} />}
            <JobPanel open={job.state === 'ready'} />
          </aside>
        </main>
      )}
      <Toasts />
      <Dialogs />
    </div>
  );
}
