import { useEffect } from 'react';
import { useApp, useValue } from '../../app/context.js';
import { formatPercent } from '../../lib/format.js';
import { jobsStateFor, overcommitText } from './jobsState.js';

// The header's machine figures beside the job's: busy slots over every live job of this dashboard,
// the machine's CPU, and a notice when the pools together ask for more slots than there are cores.

export function MachineTotal() {
  const { api } = useApp();
  const state = jobsStateFor(api);
  useEffect(() => state.watch(), [state]);
  const all = useValue(state.jobs);
  if (!all) return null;
  const live = all.jobs.filter((j) => j.state !== 'empty').length;
  const notice = overcommitText(all);
  return (
    <div className="machine-total">
      <dl className="counts" aria-label="Machine total">
        <div title="Slots with a task in them, over every job of this dashboard">
          <dt>all jobs</dt>
          <dd className="num" data-total="busy">
            {all.busy} busy in {live} {live === 1 ? 'job' : 'jobs'}
          </dd>
        </div>
        <div title="Mean busy share of the machine's cores at the last sample">
          <dt>machine CPU</dt>
          <dd className="num" data-total="cpu">
            {all.machineCpuPercent === null ? '—' : formatPercent(all.machineCpuPercent)} of {all.cores} {all.cores === 1 ? 'core' : 'cores'}
          </dd>
        </div>
      </dl>
      {notice && (
        <p className="pool-notice" role="status">
          {notice}
        </p>
      )}
    </div>
  );
}
