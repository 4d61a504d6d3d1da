// Hosts of a broker run (`corral serve --broker`): one row per agent, as the host table shows it.

/** `up`: heartbeating; `lost`: no heartbeat for HOST_LOST_AFTER_MS (its tasks are run again elsewhere). */
export type HostState = 'up' | 'lost';

export interface HostInfo {
  name: string;
  state: HostState;
  slots: number;
  busy: number;
  cores: number;
  /** CPU of its tasks' trees, % of one core */
  cpuPercent: number;
  /** RSS of its tasks' trees, bytes */
  rss: number;
  /** The host's memory, bytes */
  memory: number;
  free: number;
  /** 1-minute load average */
  load: number;
  /** Attempts it ended per second, over its last heartbeats */
  tasksPerSecond: number;
  /** Epoch ms of its last heartbeat */
  lastSeen: number;
  version: string;
}

/** Agents heartbeat every 2 s: one missed twice over is lost. */
export const HOST_LOST_AFTER_MS = 5000;
