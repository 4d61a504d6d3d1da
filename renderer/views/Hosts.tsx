import { memo, useEffect, useState } from 'react';
import type { HostInfo } from '../../main/contract/hosts.js';
import { useApp } from '../app/context.js';
import { useNow } from '../app/dom.js';
import { formatAgo, formatBytes, formatPercent, formatRate } from '../lib/format.js';

// The agents of a broker run (`corral serve --broker`): one row per host, from every tick. A host
// whose heartbeat stopped is shown lost (its tasks go back to the queue and run elsewhere).
// Local runs carry no hosts, and this panel is not drawn.

export function Hosts() {
  const { api } = useApp();
  const [hosts, setHosts] = useState<HostInfo[] | null>(null);
  useEffect(() => api.onTick((t) => setHosts(t.hosts ?? null)), [api]);
  const now = useNow(1000, hosts !== null);
  if (hosts === null) return null;
  const lost = hosts.filter((h) => h.state === 'lost').length;
  return (
    <section aria-label="Hosts" className="panel hosts-panel">
      <h2>
        Hosts <small>{hosts.length} {hosts.length === 1 ? 'agent' : 'agents'}{lost > 0 ? `, ${lost} lost` : ''}</small>
      </h2>
      {hosts.length === 0 ? <p className="no-samples">no agent has registered with the broker yet</p> : <HostTable hosts={hosts} now={now} />}
    </section>
  );
}

const HostTable = memo(function HostTable({ hosts, now }: { hosts: HostInfo[]; now: number }) {
  return (
    <table className="hosts" aria-label="Hosts">
      <thead>
        <tr>
          <th scope="col">Host</th>
          <th scope="col">State</th>
          <th scope="col">Slots busy</th>
          <th scope="col">CPU</th>
          <th scope="col">Memory</th>
          <th scope="col">Load</th>
          <th scope="col">Tasks/s</th>
          <th scope="col">Last seen</th>
        </tr>
      </thead>
      <tbody>
        {hosts.map((h) => (
          <tr key={h.name} data-host={h.name} data-state={h.state}>
            <th scope="row">{h.name}</th>
            <td><span className={`badge ${h.state === 'lost' ? 'job-stopped' : 'job-running'}`}>{h.state}</span></td>
            <td className="num">{h.busy} of {h.slots}</td>
            <td className="num">{formatPercent(h.cpuPercent)}</td>
            <td className="num" title={`${formatBytes(h.memory - h.free)} of ${formatBytes(h.memory)} in use on the host`}>{formatBytes(h.rss)}</td>
            <td className="num">{h.load.toFixed(2)} on {h.cores}</td>
            <td className="num">{formatRate(h.tasksPerSecond)}</td>
            <td className="num">{formatAgo(h.lastSeen, now)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
});
