// Benchmark 1: dispatch of trivial commands (`true`, concurrency = cores).
// Corral (argv command and shell command) vs a bare Node spawn loop (stdio ignored, and with the
// process group and output pipes any supervisor needs) vs GNU parallel vs xargs -P.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corralBin, cores, fmt, have, printTable, interleavedRounds, scratch, summary, timeCommand, writeResult, root } from './lib/common.mjs';
import { runSampled } from './helpers/sampled-run.mjs';
import { bundleCore, endedAt } from './memory.mjs';
import { execFileSync } from 'node:child_process';

// BENCH_DISPATCH_PARTS=short,heap,long picks parts: short is the 2 000 × true comparison with peers,
// heap the cost of a spawn at two supervisor heap sizes (helper vs direct), long the flat-cost run
// (100 000 × true at the default concurrency, first vs last 10 000).
export async function dispatchBench({ quick = false } = {}) {
  const parts = (process.env.BENCH_DISPATCH_PARTS ?? 'short,heap,long').split(',');
  const out = {};
  if (parts.includes('short')) out.short = await shortBench({ quick });
  if (parts.includes('heap')) out.heap = await heapBench({ quick });
  if (parts.includes('long')) out.long = await longBench({ quick });
  return out;
}

/** Tasks/s and supervisor CPU per task with a small and a large supervisor heap, helper vs direct. */
async function heapBench({ quick }) {
  const n = Number(process.env.BENCH_DISPATCH_HEAP_N || (quick ? 40 : 1000));
  const sizes = quick ? [0, 20] : [0, 400];
  const bundle = await bundleCore();
  const contenders = [];
  for (const ballast of sizes) {
    for (const mode of ['helper', 'direct']) {
      contenders.push({ name: `${mode}, +${ballast} MB`, run: () => JSON.parse(execFileSync(process.execPath, [join(root, 'bench/helpers/heap-dispatch.mjs'), bundle, String(ballast), mode, String(n)], { encoding: 'utf8' }).trim().split('\n').pop()) });
    }
  }
  const rounds = quick ? 1 : 2;
  const runs = new Map(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < rounds; r++) for (const c of r % 2 ? [...contenders].reverse() : contenders) runs.get(c.name).push(c.run());
  const results = {};
  const rows = [['spawn, ballast', 'supervisor RSS MB', 'tasks/s median', 'supervisor CPU ms/task median', 'helper CPU ms/task median']];
  for (const [name, list] of runs) {
    results[name] = { rssMB: summary(list.map((x) => x.rssMB)), tasksPerSec: summary(list.map((x) => x.tasksPerSec)), cpuMsPerTask: summary(list.map((x) => x.cpuMsPerTask)), helperCpuMsPerTask: summary(list.map((x) => x.helperCpuMsPerTask)) };
    rows.push([name, fmt(results[name].rssMB.median, 0), fmt(results[name].tasksPerSec.median, 0), fmt(results[name].cpuMsPerTask.median), fmt(results[name].helperCpuMsPerTask.median)]);
  }
  printTable(`Spawn cost by supervisor heap: ${n} × true, concurrency 2, ${rounds} round(s)`, rows);
  const file = writeResult('spawnheap', { params: { n, ballastMB: sizes, rounds }, results });
  return { file, results };
}

/** Supervisor CPU per task, RSS and tasks/s over the first and the last window of a long run of `true`. */
async function longBench({ quick }) {
  const n = Number(process.env.BENCH_DISPATCH_LONG_N || (quick ? 1000 : 100_000));
  const w = Math.max(1, Math.floor(n / 10));
  const dir = scratch('dispatch-long');
  const job = `name: dispatch-long\ncommand: ["true"]\ninputs: {range: {from: 1, to: ${n}}}\n`;
  const modes = (process.env.BENCH_DISPATCH_LONG_MODES ?? 'helper').split(',');
  const results = {};
  for (const mode of modes) {
    const r = await runSampled(dir, `long-${mode}`, job, { CORRAL_SPAWN: mode });
    // The window's CPU is read between the samples around it: the last one at or before its start
    // and the first at or after its end (a short run can fit a whole window between two 250 ms
    // samples; then the two nearest distinct samples are used).
    const at = (k) => {
      const i = r.samples.findIndex((s) => endedAt(r.ends, s.t) >= k);
      return i < 0 ? r.samples.length - 1 : i;
    };
    const before = (k) => Math.max(0, r.samples.findLastIndex((s) => endedAt(r.ends, s.t) <= k));
    const window = (a, b) => {
      const ib = at(b);
      const ia = Math.max(0, Math.min(before(a), ib - 1));
      const [sa, sb] = [r.samples[ia], r.samples[ib]];
      const tasks = endedAt(r.ends, sb.t) - endedAt(r.ends, sa.t);
      return {
        tasksPerSec: (b - a) / (r.ends[b - 1] - r.ends[Math.max(0, a - 1)]),
        cpuMsPerTask: tasks > 0 ? ((sb.cpuS - sa.cpuS) * 1000) / tasks : null,
        helperCpuMsPerTask: tasks > 0 ? ((sb.helperCpuS - sa.helperCpuS) * 1000) / tasks : null,
        rssMB: sb.rss / 2 ** 20,
      };
    };
    results[mode] = { n, window: w, wallS: r.wallS, first: window(1, w), last: window(n - w, n), endRssMB: r.samples.at(-1).rss / 2 ** 20, peakRssMB: Math.max(...r.samples.map((s) => s.rss)) / 2 ** 20 };
  }
  const rows = [['spawn', 'tasks', 'tasks/s first W', 'tasks/s last W', 'last/first', 'supervisor CPU ms/task first → last', 'helper CPU ms/task first → last', 'RSS MB end (peak)']];
  for (const [mode, r] of Object.entries(results)) {
    rows.push([mode, String(n), fmt(r.first.tasksPerSec, 0), fmt(r.last.tasksPerSec, 0), fmt(r.last.tasksPerSec / r.first.tasksPerSec), `${fmt(r.first.cpuMsPerTask)} → ${fmt(r.last.cpuMsPerTask)}`, `${fmt(r.first.helperCpuMsPerTask)} → ${fmt(r.last.helperCpuMsPerTask)}`, `${fmt(r.endRssMB, 0)} (${fmt(r.peakRssMB, 0)})`]);
  }
  printTable(`Flat cost: ${n} × true at the default concurrency (W = ${w}; CPU from /proc, 10 ms resolution)`, rows);
  const file = writeResult('flatcost', { params: { n, window: w, modes }, results, targets: { lastOverFirst: 0.9, endRssMB: 300 } });
  return { file, results };
}

async function shortBench({ quick }) {
  const n = Number(process.env.BENCH_DISPATCH_N || (quick ? 40 : 2000));
  const rounds = Number(process.env.BENCH_DISPATCH_ROUNDS || (quick ? 1 : 3));
  const dir = scratch('dispatch');
  const state = join(dir, 'state');
  const job = (name, command) => {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, `name: ${name}\ncommand: ${JSON.stringify(command)}\ninputs: {range: {from: 1, to: ${n}}}\nconcurrency: ${cores}\n`);
    return file;
  };
  const argvJob = job('dispatch-argv', ['true']);
  const shJob = job('dispatch-sh', 'true');
  const direct = { CORRAL_STATE_DIR: state, CORRAL_SPAWN: 'direct' };
  const seq = Array.from({ length: n }, (_, i) => i + 1).join('\n') + '\n';
  const env = { CORRAL_STATE_DIR: state };

  const contenders = [
    { name: 'corral (argv)', run: () => timeCommand(process.execPath, [corralBin, 'run', argvJob, '--jobs', String(cores)], { env, cwd: dir }) },
    { name: 'corral (sh)', run: () => timeCommand(process.execPath, [corralBin, 'run', shJob, '--jobs', String(cores)], { env, cwd: dir }) },
    { name: 'corral (argv, direct)', run: () => timeCommand(process.execPath, [corralBin, 'run', argvJob, '--jobs', String(cores)], { env: direct, cwd: dir }) },
    { name: 'bare node spawn', run: () => timeCommand(process.execPath, [join(root, 'bench/helpers/bare-spawn.mjs'), String(n), String(cores)]) },
    { name: 'bare spawn + capture', run: () => timeCommand(process.execPath, [join(root, 'bench/helpers/bare-spawn.mjs'), String(n), String(cores), 'capture']) },
    { name: 'xargs -P', run: () => timeCommand('xargs', ['-P', String(cores), '-n', '1', 'true'], { input: seq }) },
  ];
  if (have('parallel')) contenders.push({ name: 'GNU parallel', run: () => timeCommand('parallel', ['-j', String(cores), 'true'], { input: seq }) });
  else console.log('dispatch: GNU parallel not found; skipping it');

  const times = await interleavedRounds(contenders, rounds);
  const rate = (ms) => n / (ms / 1000);
  const results = {};
  for (const [name, ms] of times) results[name] = { ms: summary(ms), tasksPerSec: summary(ms.map(rate)) };
  const med = (name) => results[name]?.tasksPerSec.median;
  const ratios = {};
  for (const c of ['corral (argv)', 'corral (sh)', 'corral (argv, direct)']) {
    ratios[c] = { vsBare: med(c) / med('bare node spawn'), vsBareCaptured: med(c) / med('bare spawn + capture'), vsXargs: med(c) / med('xargs -P'), vsParallel: results['GNU parallel'] ? med(c) / med('GNU parallel') : null };
  }
  const rows = [['contender', 'tasks/s median', 'min–max', '× bare', '× bare+capture', '× parallel', '× xargs']];
  for (const [name, r] of Object.entries(results)) {
    const t = r.tasksPerSec;
    rows.push([name, fmt(t.median), `${fmt(t.min)}–${fmt(t.max)}`, fmt(t.median / med('bare node spawn')), fmt(t.median / med('bare spawn + capture')), results['GNU parallel'] ? fmt(t.median / med('GNU parallel')) : '-', fmt(t.median / med('xargs -P'))]);
  }
  printTable(`Dispatch: ${n} × true, concurrency ${cores}, ${rounds} round(s) (wall time includes each tool's start-up)`, rows);
  const file = writeResult('dispatch', { params: { n, concurrency: cores, rounds }, results, ratios, targets: { vsBare: 0.9, vsParallel: 2 } });
  return { file, results, ratios };
}
