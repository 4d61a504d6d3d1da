import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, pidAlive, tempDir, waitFor, withDeadline } from '../core/helpers.js';
import { spawnCli } from './cli.js';

// Zero orphans: a `corral run` killed with SIGKILL leaves none of its task trees behind.
const groups = new Set<number>();
afterEach(async () => {
  for (const g of groups) {
    try {
      process.kill(-g, 'SIGKILL');
    } catch {
      /* gone, as it should be */
    }
  }
  groups.clear();
  await cleanup();
});

/** pid → ppid of every process, from one /proc scan. */
function parents(): Map<number, number> {
  const m = new Map<number, number>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      m.set(Number(e), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* exited meanwhile */
    }
  }
  return m;
}

const childrenOf = (m: Map<number, number>, pid: number) => [...m].filter(([, pp]) => pp === pid).map(([p]) => p);
const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
};

const environ = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  } catch {
    return [];
  }
};

describe('kill -9 of corral run', () => {
  it('leaves no process of its 8 running task trees alive', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'job.yaml'), "name: doomed\ncommand: \"sh -c 'sleep 100 & sleep 100; wait'\"\nconcurrency: 8\ninputs:\n  range: { from: 1, to: 8 }\n");
    // As if this corral were itself a task of another one (nested): its tasks get its own marker.
    const outer = `${process.pid}-0000outer0000`;
    const cli = spawnCli(['run', 'job.yaml', '--tick', '250ms'], { cwd: dir, env: { CORRAL_SUPERVISOR: outer } });
    const cliPid = cli.child.pid!;
    // Wait until 8 task shells each run their two sleeps, forked by the spawn helper.
    let spawner: number | undefined;
    const trees = await waitFor(
      '8 running task trees',
      () => {
        const m = parents();
        spawner = childrenOf(m, cliPid).find((p) => cmdline(p).includes('spawner.cjs'));
        if (spawner === undefined) return null;
        const shells = childrenOf(m, spawner).filter((p) => cmdline(p).startsWith('/bin/sh -c sh -c'));
        const t = shells.map((s) => [s, ...childrenOf(m, s), ...childrenOf(m, s).flatMap((c) => childrenOf(m, c))]);
        return t.length === 8 && t.every((x) => x.length >= 3) ? t : null;
      },
      60_000,
    );
    for (const t of trees) groups.add(t[0]);
    const reaper = childrenOf(parents(), cliPid).find((p) => cmdline(p).includes('reaper'));
    expect(reaper).toBeDefined();
    // Every task process carries the supervisor's marker, which its reaper was started with.
    const marker = cmdline(reaper!).match(/--marker=(\S+)/)?.[1];
    expect(marker).toMatch(new RegExp(`^${cliPid}-[0-9a-f]{16}$`));
    for (const t of trees) expect(environ(t[0])).toContain(`CORRAL_SUPERVISOR=${marker}`);
    // The reaper carries none, so an outer reaper reaping the outer marker leaves it to do its job.
    expect(environ(reaper!).filter((e) => e.startsWith('CORRAL_SUPERVISOR='))).toEqual([]);
    // Nor does the spawn helper: it is no task, and it exits on its own when its supervisor dies.
    expect(environ(spawner!).filter((e) => e.startsWith('CORRAL_SUPERVISOR='))).toEqual([]);
    expect(environ(cliPid)).toContain(`CORRAL_SUPERVISOR=${outer}`);
    const all = trees.flat();
    expect(all.length).toBeGreaterThanOrEqual(24);
    cli.child.kill('SIGKILL');
    const died = await withDeadline(cli.result, 10_000, 'the CLI to die');
    const left = await waitFor('every task pid to be gone', () => (all.some(pidAlive) ? null : 'none'), 20_000).catch(() => all.filter(pidAlive));
    expect(left, `still alive; the CLI and its reaper said:\n${died.stderr}`).toBe('none');
    await waitFor('the reaper to exit', () => !pidAlive(reaper!), 20_000);
    await waitFor('the spawn helper to exit', () => !pidAlive(spawner!), 20_000);
  });
});
