import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { listProcesses } from '../../../main/core/monitor/processTable.js';
import { processStartTime } from '../../../main/core/stop/index.js';
import { createSampler, type SampleRoot } from '../../../main/core/monitor/sampler.js';
import { killAllSpawned, sleep, spawnGroup, waitFor, type Spawned } from './helpers.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/monitor/${name}`, import.meta.url));
const linux = process.platform === 'linux';
// The accuracy checks ask "does the sampler read what the task got?", so the task must get what it
// asks for even while other tests load the 2 cores: as root (CI), run it at a higher priority.
const boost = (cmd: string, args: string[]): [string, string[]] =>
  process.getuid?.() === 0 ? ['nice', ['-n', '-15', cmd, ...args]] : [cmd, args];

/** CPU ms of this process's reaped children (cutime + cstime), e.g. the `ps` pidusage spawns. */
function childrenCpuMs(): number {
  const text = readFileSync('/proc/self/stat', 'latin1');
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[13]) + Number(f[14])) * 1000) / 100; // CLK_TCK is 100 on Linux
}

async function rootOf(t: Spawned): Promise<SampleRoot> {
  return { key: t.pid, pid: t.pid, pgid: t.pgid, startTime: processStartTime(t.pid) };
}

describe.runIf(linux)('sampler accuracy', () => {
  afterAll(killAllSpawned);

  // stress-ng is required (.ci/run installs it): a missing tool fails this test rather than skipping it.
  it('reads stress-ng --cpu 1 --cpu-load 50 as 50 % ± 5 of one core', async () => {
    // stress-ng's own load control undershoots (about 45 %) when it competes for the CPU; under
    // SCHED_FIFO (root only) it holds 50 % (measured 300/600 ticks three times in a row).
    const rt = process.getuid?.() === 0 ? ['--sched', 'fifo'] : [];
    const t = spawnGroup('stress-ng', ['--cpu', '1', '--cpu-load', '50', ...rt, '--timeout', '30s', '--quiet']);
    const root = await rootOf(t);
    await waitFor('stress-ng worker', async () => {
      const s = (await createSampler().sample([root])).get(root.key)!;
      return s.pids.length >= 2;
    });
    // Ten 2 s ticks; the median shrugs off a tick or two where other work on this
    // 2-core machine starved stress-ng (the sampler reports what the task really got).
    const sampler = createSampler();
    const readings: number[] = [];
    await sampler.sample([root]);
    for (let i = 0; i < 10; i++) {
      await sleep(2000);
      readings.push((await sampler.sample([root])).get(root.key)!.cpuPercent);
    }
    sampler.close();
    const median = [...readings].sort((a, b) => a - b)[readings.length >> 1];
    console.log(`stress-ng 50 %: ticks ${readings.map((r) => r.toFixed(1)).join(', ')}; median ${median.toFixed(1)} %`);
    expect(median).toBeGreaterThan(45);
    expect(median).toBeLessThan(55);
  });

  it("reads a task's RSS within 5 % of ps", async () => {
    const t = spawnGroup('python3', [fixture('hold_memory.py'), '64']);
    expect(await t.firstLine).toBe('ready');
    const root = await rootOf(t);
    const s = (await createSampler().sample([root])).get(root.key)!;
    const ours = s.procs.find((p) => p.pid === t.pid)!.rss;
    const ps = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(t.pid)], { encoding: 'utf8' }).trim()) * 1024;
    console.log(`RSS: sampler ${ours} B, ps ${ps} B`);
    expect(ours).toBeGreaterThan(64 * 1024 * 1024);
    expect(Math.abs(ours - ps) / ps).toBeLessThan(0.05);
  });

  it('reads a 2-process multiprocessing.Pool of busy loops near 200 % while its root idles', async () => {
    const t = spawnGroup(...boost('python3', [fixture('pool_busy.py'), '60']));
    expect(await t.firstLine).toBe('ready');
    const root = await rootOf(t);
    // Ground truth straight from the kernel for the same window: utime+stime of every pid of the
    // tree. On a shared 2-core machine the workers may get less than two cores; what is checked is
    // that the sampler reads what they got, and near 200 % whenever they got it.
    const kernelCpuMs = (pids: number[]) =>
      pids.reduce((sum, pid) => {
        try {
          const f = readFileSync(`/proc/${pid}/stat`, 'latin1');
          const x = f.slice(f.lastIndexOf(')') + 2).split(' ');
          return sum + ((Number(x[11]) + Number(x[12])) * 1000) / 100;
        } catch {
          return sum;
        }
      }, 0);
    const sampler = createSampler();
    const first = (await sampler.sample([root])).get(root.key)!;
    const t0 = performance.now();
    const k0 = kernelCpuMs(first.pids);
    await sleep(3000);
    const s = (await sampler.sample([root])).get(root.key)!;
    const truth = ((kernelCpuMs(first.pids) - k0) / (performance.now() - t0)) * 100;
    sampler.close();
    const rootCpu = s.procs.find((p) => p.pid === t.pid)!.cpuPercent;
    console.log(`Pool(2): sampler ${s.cpuPercent.toFixed(1)} %, kernel ${truth.toFixed(1)} %, root ${rootCpu.toFixed(1)} %; procs ${s.pids.length}`);
    expect(s.pids.length).toBeGreaterThanOrEqual(3);
    expect(Math.abs(s.cpuPercent - truth)).toBeLessThan(10);
    expect(s.cpuPercent).toBeGreaterThan(Math.min(150, truth * 0.85));
    expect(rootCpu).toBeLessThan(10);
    killAllSpawned();
  });

  it('measures the CPU cost of sample() with 16 and 64 sleeping trees', async () => {
    const trees: Spawned[] = [];
    const report: string[] = [];
    const total = (await listProcesses()).length;
    for (const n of [16, 64]) {
      while (trees.length < n) trees.push(spawnGroup('sh', ['-c', 'echo ready; sleep 600 & sleep 600; wait']));
      await Promise.all(trees.map((t) => t.firstLine));
      const roots = await Promise.all(trees.map(rootOf));
      await waitFor('every tree has its sleeps', async () => {
        const out = await createSampler().sample(roots);
        return [...out.values()].every((s) => s.pids.length === 3);
      });
      for (const [mode, opts] of [
        ['/proc scan only (default)', {}],
        ['/proc scan + pidusage batched (ps)', { usePidusage: true }],
      ] as const) {
        const sampler = createSampler(opts);
        await sampler.sample(roots);
        const calls = 20;
        const cpu0 = process.cpuUsage();
        const kids0 = childrenCpuMs();
        const t0 = performance.now();
        for (let i = 0; i < calls; i++) await sampler.sample(roots);
        const cpu = process.cpuUsage(cpu0);
        const kids = (childrenCpuMs() - kids0) / calls;
        const wall = (performance.now() - t0) / calls;
        sampler.close();
        report.push(
          `${n} trees (${n * 3} task pids, ~${total + n * 3} in the table), ${mode}: ` +
            `${((cpu.user + cpu.system) / 1000 / calls).toFixed(2)} ms CPU in this process + ${kids.toFixed(2)} ms in child processes, ` +
            `${wall.toFixed(2)} ms wall per sample()`,
        );
      }
    }
    console.log(`sample() cost:\n  ${report.join('\n  ')}`);
    expect(report).toHaveLength(4);
    killAllSpawned();
  });
});
