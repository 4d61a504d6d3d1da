import { describe, expect, it } from 'vitest';
import { HOST_LOST_AFTER_MS } from '../../../../main/contract/hosts.js';
import { HostTable } from '../../../../main/core/broker/hosts.js';
import type { AgentInfo } from '../../../../main/core/broker/transport.js';

const beat = (name: string, at: number, ended: number, extra: Partial<AgentInfo> = {}): AgentInfo => ({
  name, cores: 2, memory: 8e9, free: 4e9, version: '1.0.0', slots: 2, busy: 1, load: 0.5, cpuPercent: 90, rss: 5e6, ended, at, ...extra,
});

describe('the hosts table of a broker run', () => {
  it('one row per host, sorted, with tasks/s from the attempts ended between heartbeats', () => {
    const h = new HostTable();
    h.update(beat('b', 0, 0));
    h.update(beat('a', 0, 0));
    h.update(beat('a', 2000, 10));
    h.update(beat('a', 1000, 99)); // older than what is known: ignored
    const rows = h.rows(2500);
    expect(rows.map((r) => [r.name, r.state, r.busy, r.cpuPercent])).toEqual([['a', 'up', 1, 90], ['b', 'up', 1, 90]]);
    expect(rows[0].tasksPerSecond).toBe(5);
    expect(rows[0].lastSeen).toBe(2000);
  });

  it('a host without a heartbeat for HOST_LOST_AFTER_MS is lost (nothing busy), and said so once', () => {
    const h = new HostTable();
    h.update(beat('a', 0, 0));
    expect(h.newlyLost(HOST_LOST_AFTER_MS)).toEqual([]);
    expect(h.newlyLost(HOST_LOST_AFTER_MS + 1)).toEqual(['a']);
    expect(h.newlyLost(HOST_LOST_AFTER_MS + 2)).toEqual([]);
    expect(h.rows(HOST_LOST_AFTER_MS + 1)[0]).toMatchObject({ state: 'lost', busy: 0, cpuPercent: 0, tasksPerSecond: 0 });
    // Back (restarted): up again, and a later loss is said again.
    h.update(beat('a', HOST_LOST_AFTER_MS + 3, 0));
    expect(h.rows(HOST_LOST_AFTER_MS + 4)[0].state).toBe('up');
    expect(h.newlyLost(3 * HOST_LOST_AFTER_MS)).toEqual(['a']);
  });
});
