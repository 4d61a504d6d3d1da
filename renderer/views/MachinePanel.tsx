import { memo } from 'react';
import type { MachineSample } from '../../main/contract/types.js';
import { useApp, useValue } from '../app/context.js';
import { formatBytes } from '../lib/format.js';

// The machine beside the pool: per-core CPU, memory, load average and swap. When every core is
// busy with other work, or the box swaps, slow tasks are the machine's problem, not the job's.

export function MachinePanel() {
  const { job } = useApp();
  const machine = useValue(job.machine);
  return (
    <section aria-label="Machine" className="panel machine-panel">
      <h2>Machine <small>whole computer, not only this job</small></h2>
      {machine ? <MachineFigures m={machine} /> : <p className="no-samples">not sampled yet</p>}
    </section>
  );
}

/** "3.20 on 2 cores (160 %)": load read against the cores it competes for. */
export function loadText(load: number, cores: number): string {
  return cores > 0 ? `${load.toFixed(2)} on ${cores} ${cores === 1 ? 'core' : 'cores'} (${Math.round((load / cores) * 100)} %)` : load.toFixed(2);
}

export function swapText(swap: MachineSample['swap']): string {
  if (swap === undefined || swap === null) return 'not sampled';
  if (swap.total === 0) return 'none configured';
  return `${formatBytes(swap.used)} of ${formatBytes(swap.total)}`;
}

const MachineFigures = memo(function MachineFigures({ m }: { m: MachineSample }) {
  const used = Math.max(0, m.totalMem - m.freeMem);
  const memPct = m.totalMem > 0 ? (used / m.totalMem) * 100 : 0;
  const swapPct = m.swap && m.swap.total > 0 ? (m.swap.used / m.swap.total) * 100 : 0;
  const avg = m.perCore.length ? m.perCore.reduce((a, b) => a + b, 0) / m.perCore.length : 0;
  return (
    <div className="machine">
      <div className="cores" role="img" aria-label={`CPU per core: ${m.perCore.map((p, i) => `core ${i + 1} ${Math.round(p)} %`).join(', ')}`}>
        {m.perCore.map((p, i) => (
          <div key={i} className="core" title={`core ${i + 1}: ${Math.round(p)} %`}>
            <div className="core-fill" style={{ height: `${Math.min(100, Math.max(0, p))}%` }} />
          </div>
        ))}
      </div>
      <dl className="machine-figures">
        <div><dt>CPU</dt><dd className="num">{Math.round(avg)} % of {m.cores} {m.cores === 1 ? 'core' : 'cores'}</dd></div>
        <div><dt>load 1/5/15 min</dt><dd className="num" title={loadText(m.loadAvg[0], m.cores)}>{m.loadAvg.map((l) => l.toFixed(2)).join(' · ')}</dd></div>
        <div>
          <dt>memory used</dt>
          <dd className="num">
            <Meter pct={memPct} /> {formatBytes(used)} of {formatBytes(m.totalMem)} · {formatBytes(m.freeMem)} available
          </dd>
        </div>
        <div>
          <dt>swap used</dt>
          <dd className="num">
            {m.swap && m.swap.total > 0 && <Meter pct={swapPct} />} {swapText(m.swap)}
          </dd>
        </div>
      </dl>
    </div>
  );
});

function Meter({ pct }: { pct: number }) {
  return (
    <span className={`meter ${pct > 90 ? 'meter-high' : ''}`} aria-hidden="true">
      <span style={{ width: `${Math.min(100, Math.max(0, pct))}%` }} />
    </span>
  );
}
