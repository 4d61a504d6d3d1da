// Live sleeping process trees for the sampling benchmark, each detached in its own process
// group, and the cleanup that kills every group even if the benchmark throws.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const groups = new Set();
process.on('exit', () => killAll());

export function killAll() {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  groups.clear();
}

/** Process count per process group, from one /proc scan. */
function groupSizes() {
  const sizes = new Map();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      sizes.set(pgid, (sizes.get(pgid) ?? 0) + 1);
    } catch {
      // exited while we looked
    }
  }
  return sizes;
}

/** Spawns `count` trees of `sh -c 'sleep 600 & sleep 600; wait'` (3 processes each); resolves with their roots. */
export async function spawnTrees(count, firstKey = 1) {
  const roots = [];
  for (let i = 0; i < count; i++) {
    const child = spawn('sh', ['-c', 'sleep 600 & sleep 600; wait'], { detached: true, stdio: 'ignore' });
    child.unref();
    groups.add(child.pid);
    roots.push({ key: firstKey + roots.length, pid: child.pid, pgid: child.pid });
  }
  await settle(roots.map((r) => r.pgid), 3);
  return roots;
}

/** Spawns `count` idle processes outside any tree we sample (one group), to grow the process table. */
export async function spawnIdle(count) {
  const child = spawn('sh', ['-c', `i=0; while [ $i -lt ${count} ]; do sleep 600 & i=$((i+1)); done; wait`], { detached: true, stdio: 'ignore' });
  child.unref();
  groups.add(child.pid);
  await settle([child.pid], count + 1);
  return child.pid;
}

export function killGroup(pgid) {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
  groups.delete(pgid);
}

async function settle(pgids, each) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const all = groupSizes();
    const sizes = pgids.map((g) => all.get(g) ?? 0);
    if (sizes.every((s) => s >= each)) return;
    if (Date.now() > deadline) throw new Error(`bench: trees did not start within 60 s (${sizes.filter((s) => s < each).length} incomplete)`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Kills the groups and waits until none of their processes is left in /proc. */
export async function killGroupsAndWait(pgids) {
  for (const g of pgids) killGroup(g);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const all = groupSizes();
    if (pgids.every((g) => !all.has(g))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('bench: killed trees still in /proc after 30 s');
}
