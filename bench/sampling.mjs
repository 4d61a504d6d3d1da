// Benchmark 3: supervisor CPU per sampling tick with 16/64/256 live task trees — Corral's
// sampler (main/core/monitor, one /proc scan per tick) vs a naive sampler (one `ps` spawn per
// task per tick plus pidusage per pid) — and how the cost grows with the machine's process count.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildDir, fmt, printTable, processCount, root, writeResult } from './lib/common.mjs';
import { killAll, killGroupsAndWait, spawnIdle, spawnTrees } from './lib/trees.mjs';

const run = promisify(execFile);

async function bundleMonitor() {
  const { build } = await import('esbuild');
  const outfile = join(buildDir(), 'monitor.mjs');
  await build({ entryPoints: [join(root, 'main/core/monitor/index.ts')], bundle: true, platform: 'node', format: 'esm', outfile, external: ['pidusage'], logLevel: 'warning' });
  return import(outfile);
}

/** What a first attempt would do: ask `ps` for each task's group, then pidusage each pid. */
function naiveSampler(pidusage) {
  return {
    async sample(roots) {
      const out = new Map();
      await Promise.all(
        roots.map(async (r) => {
          const { stdout } = await run('ps', ['-o', 'pid=', '-g', String(r.pgid)]).catch(() => ({ stdout: '' }));
          const pids = stdout.split('\n').map((s) => Number(s.trim())).filter((p) => p > 0);
          const stats = await Promise.all(pids.map((p) => pidusage(p).catch(() => null)));
          out.set(r.key, { cpu: stats.reduce((a, s) => a + (s?.cpu ?? 0), 0), rss: stats.reduce((a, s) => a + (s?.memory ?? 0), 0) });
        }),
      );
      return out;
    },
    close() {
      pidusage.clear();
    },
  };
}

const clkTck = 100; // USER_HZ on Linux
/** CPU ms of reaped children (the `ps` spawns) from /proc/self/stat cutime+cstime. */
function childrenCpuMs() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[13]) + Number(f[14])) * 1000) / clkTck;
}

/** Samples `samples` times after 2 warm-up ticks; returns CPU ms per tick (self, children) and wall ms. */
async function measure(sampler, roots, samples) {
  await sampler.sample(roots);
  await sampler.sample(roots);
  const c0 = process.cpuUsage();
  const k0 = childrenCpuMs();
  const t0 = performance.now();
  let seen = 0;
  for (let i = 0; i < samples; i++) seen = (await sampler.sample(roots)).size;
  const wall = (performance.now() - t0) / samples;
  const c = process.cpuUsage(c0);
  const self = (c.user + c.system) / 1000 / samples;
  const children = (childrenCpuMs() - k0) / samples;
  if (seen !== roots.length) throw new Error(`bench: sampler saw ${seen} of ${roots.length} trees`);
  return { selfMsPerTick: self, childrenMsPerTick: children, totalMsPerTick: self + children, wallMsPerTick: wall, percentOfCoreAt1Hz: (self + children) / 10, samples };
}

export async function samplingBench({ quick = false } = {}) {
  if (process.platform !== 'linux') throw new Error('bench: the sampling benchmark reads /proc and runs on Linux only');
  const sizes = quick ? [4] : [16, 64, 256];
  const samples = quick ? 3 : Number(process.env.BENCH_SAMPLING_SAMPLES || 20);
  const extra = quick ? 20 : 1000;
  const growthTrees = quick ? 4 : 64;
  const monitor = await bundleMonitor();
  const pidusage = (await import('pidusage')).default;
  const results = { trees: [], processCount: [] };
  try {
    let roots = [];
    for (const size of sizes) {
      roots = [...roots, ...(await spawnTrees(size - roots.length, roots.length + 1))];
      const procs = processCount();
      const corral = monitor.createSampler();
      const c = await measure(corral, roots, samples);
      corral.close();
      const naive = naiveSampler(pidusage);
      const n = await measure(naive, roots, Math.max(3, Math.round(samples * Math.min(1, 16 / size))));
      naive.close();
      results.trees.push({ trees: size, machineProcesses: procs, corral: c, naive: n, naiveOverCorral: n.totalMsPerTick / c.totalMsPerTick });
      process.stdout.write(`  ${size} trees: corral ${fmt(c.totalMsPerTick)} ms/tick, naive ${fmt(n.totalMsPerTick)} ms/tick\n`);
    }
    // Growth with the machine's process count: the same trees, with idle processes added outside them.
    const keep = roots.slice(0, growthTrees);
    await killGroupsAndWait(roots.slice(growthTrees).map((r) => r.pgid));
    for (const add of [0, extra]) {
      const idle = add ? await spawnIdle(add) : null;
      const procs = processCount();
      const corral = monitor.createSampler();
      const c = await measure(corral, keep, samples);
      corral.close();
      // The same with a full /proc scan every tick (before issue 15: the cost followed the machine).
      const everyTick = monitor.createSampler({ fullScanEvery: 1 });
      const f = await measure(everyTick, keep, samples);
      everyTick.close();
      results.processCount.push({ trees: keep.length, extraProcesses: add, machineProcesses: procs, corral: c, fullScanEveryTick: f });
      if (idle) await killGroupsAndWait([idle]);
    }
  } finally {
    killAll();
  }
  const rows = [['trees', 'procs on machine', 'corral ms CPU/tick', '% core @1Hz', 'wall ms', 'naive ms CPU/tick (self+ps)', '% core @1Hz', 'naive/corral']];
  for (const r of results.trees) {
    rows.push([r.trees, r.machineProcesses, fmt(r.corral.totalMsPerTick), fmt(r.corral.percentOfCoreAt1Hz), fmt(r.corral.wallMsPerTick), `${fmt(r.naive.totalMsPerTick)} (${fmt(r.naive.selfMsPerTick)}+${fmt(r.naive.childrenMsPerTick)})`, fmt(r.naive.percentOfCoreAt1Hz), fmt(r.naiveOverCorral)]);
  }
  printTable(`Sampling cost per tick (${samples} samples after 2 warm-up; CPU of the supervisor process plus its ps children)`, rows);
  const growth = [['trees', 'extra idle procs', 'procs on machine', 'corral ms CPU/tick', '% core @1Hz', 'full scan every tick: ms', '% core']];
  for (const r of results.processCount) growth.push([r.trees, r.extraProcesses, r.machineProcesses, fmt(r.corral.totalMsPerTick), fmt(r.corral.percentOfCoreAt1Hz), fmt(r.fullScanEveryTick.totalMsPerTick), fmt(r.fullScanEveryTick.percentOfCoreAt1Hz)]);
  printTable('Corral sampler cost vs the machine-wide process count', growth);
  const at64 = results.trees.find((r) => r.trees === 64);
  const file = writeResult('sampling', { params: { sizes, samples, extraProcesses: extra, tree: "sh -c 'sleep 600 & sleep 600; wait'" }, results, targets: { percentOfCoreAt1HzFor64: 1, withExtraProcesses: extra }, met: at64 ? at64.corral.percentOfCoreAt1Hz <= 1 : null });
  return { file, results };
}
