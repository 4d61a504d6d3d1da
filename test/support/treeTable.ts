import type { GroupMember, TreeDeps } from '../../main/core/stop/treeView.js';

/** A process table in memory for the kill path's tree checks: pid → [pgid, startTime, state]. */
export function treeTable(rows: Record<number, [number, string, string?]>): TreeDeps {
  const members = (pgid: number): GroupMember[] =>
    Object.entries(rows)
      .filter(([, r]) => r[0] === pgid)
      .map(([pid, r]) => ({ pid: Number(pid), pgid, startTime: r[1], state: r[2] ?? 'S' }));
  return {
    groupExists: (pgid) => members(pgid).length > 0,
    groupMembers: members,
    probe: (pid) => (rows[pid] && rows[pid][2] !== 'Z' ? { alive: true, startTime: rows[pid][1], state: rows[pid][2] ?? 'S' } : { alive: false }),
  };
}
