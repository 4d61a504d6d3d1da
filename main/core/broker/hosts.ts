// The host table of a broker run: the agents' registrations (SupervisorTransport.agents()) and
// their heartbeats on the samples channel, folded into one row per host. A host whose heartbeat
// stopped stays listed, as lost.
import { HOST_LOST_AFTER_MS, type HostInfo } from '../../contract/hosts.js';
import type { AgentInfo } from './transport.js';

/** tasks/s is over this much of a host's heartbeat history */
const RATE_WINDOW_MS = 10_000;

interface Known {
  info: AgentInfo;
  /** (time, attempts ended) of recent heartbeats, oldest first */
  history: { at: number; ended: number }[];
  lost: boolean;
}

export class HostTable {
  readonly #hosts = new Map<string, Known>();

  /** A registration or a heartbeat; an older one than already seen is ignored. */
  update(info: AgentInfo): void {
    const k = this.#hosts.get(info.name);
    if (k && k.info.at >= info.at) return;
    const history = k && k.info.version === info.version && (info.ended ?? 0) >= (k.info.ended ?? 0) ? k.history : [];
    history.push({ at: info.at, ended: info.ended ?? 0 });
    while (history.length > 2 && info.at - history[0].at > RATE_WINDOW_MS) history.shift();
    this.#hosts.set(info.name, { info, history, lost: false });
  }

  /** Hosts that turned lost since the last call (for a notice), judged at `now`. */
  newlyLost(now: number): string[] {
    const out: string[] = [];
    for (const [name, k] of this.#hosts) {
      if (k.lost || now - k.info.at <= HOST_LOST_AFTER_MS) continue;
      k.lost = true;
      out.push(name);
    }
    return out;
  }

  slotsOf(name: string): number | null {
    return this.#hosts.get(name)?.info.slots ?? null;
  }

  rows(now: number): HostInfo[] {
    return [...this.#hosts.values()]
      .map(({ info: i, history }) => {
        const first = history[0];
        const last = history[history.length - 1];
        const span = (last.at - first.at) / 1000;
        const lost = now - i.at > HOST_LOST_AFTER_MS;
        return {
          name: i.name, state: lost ? 'lost' : 'up', slots: i.slots, busy: lost ? 0 : i.busy, cores: i.cores,
          cpuPercent: lost ? 0 : (i.cpuPercent ?? 0), rss: lost ? 0 : (i.rss ?? 0), memory: i.memory, free: i.free, load: i.load,
          tasksPerSecond: lost || span <= 0 ? 0 : (last.ended - first.ended) / span, lastSeen: i.at, version: i.version,
        } satisfies HostInfo;
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}
