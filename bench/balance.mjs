// Benchmark 4: load balancing of a heterogeneous CPU-bound batch. Makespan of each contender
// divided by the lower bound max(total work / cores, longest task).
// Work: each task spins until its process has used the given ms of CPU time — in-process for
// Corral module tasks (bench/helpers/busy.mjs) and Python Pool.map (pool.py busy), and as a
// perl command (bench/helpers/busy.pl, ~2 ms start-up) for GNU parallel and a Corral command job.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corralBin, cores, fmt, have, printTable, rotated, root, scratch, summary, timeCommand, writeResult } from './lib/common.mjs';
import { heavyTailed, lowerBound } from './lib/durations.mjs';

export async function balanceBench({ quick = false } = {}) {
  const n = quick ? 8 : Number(process.env.BENCH_BALANCE_N || 60);
  const totalMs = quick ? 800 : Number(process.env.BENCH_BALANCE_TOTAL_MS || 30_000);
  const rounds = quick ? 1 : Number(process.env.BENCH_BALANCE_ROUNDS || 2);
  const ms = heavyTailed({ n, totalMs, cores });
  const bound = lowerBound(ms, cores);
  const dir = scratch('balance');
  const inputs = join(dir, 'durations.txt');
  writeFileSync(inputs, ms.join('\n') + '\n');
  const env = { CORRAL_STATE_DIR: join(dir, 'state') };
  const busyMjs = join(root, 'bench/helpers/busy.mjs');
  const busyPl = join(root, 'bench/helpers/busy.pl');
  // Input-order and longest-first module jobs share a name, so each run adds to the history.
  const job = (file, body) => (writeFileSync(join(dir, file), body), join(dir, file));
  const moduleJob = (order) => `name: balance-module\nmodule: ${JSON.stringify(busyMjs)}\ninputs: {file: ${JSON.stringify(inputs)}}\nconcurrency: ${cores}\norder: ${order}\n`;
  const inputJob = job('module-input.yaml', moduleJob('input'));
  const historyJob = job('module-history.yaml', moduleJob('longest-first'));
  const commandJob = job('command-input.yaml', `name: balance-command\ncommand: [perl, ${JSON.stringify(busyPl)}, "{}"]\ninputs: {file: ${JSON.stringify(inputs)}}\nconcurrency: ${cores}\n`);
  const corral = (file) => () => timeCommand(process.execPath, [corralBin, 'run', file, '--jobs', String(cores)], { env, cwd: dir });

  // The input-order module run comes first in round 1: it writes the history longest-first reads.
  const contenders = [
    { name: 'corral module, input order', run: corral(inputJob) },
    { name: 'corral module, longest-first (history)', run: corral(historyJob) },
    { name: 'corral command (perl), input order', run: corral(commandJob) },
  ];
  if (have('python3')) contenders.push({ name: 'python Pool.map (default chunks)', run: () => timeCommand('python3', [join(root, 'bench/helpers/pool.py'), 'busy-map', String(n), String(cores), inputs]) });
  if (have('parallel')) contenders.push({ name: 'GNU parallel (perl)', run: () => timeCommand('parallel', ['-j', String(cores), 'perl', busyPl, '{}', '::::', inputs]) });

  const times = new Map(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < rounds; r++) {
    for (const c of rotated(contenders, r)) {
      const { ms: took } = await c.run();
      times.get(c.name).push(took);
      process.stdout.write(`  round ${r + 1}/${rounds} ${c.name}: ${fmt(took / 1000)} s (${fmt(took / bound)}× bound)\n`);
    }
  }
  const results = {};
  for (const [name, t] of times) results[name] = { makespanMs: summary(t), overBound: summary(t.map((x) => x / bound)) };
  const rows = [['contender', 'makespan s (median)', 'min–max s', '÷ lower bound', 'min–max']];
  for (const [name, r] of Object.entries(results)) {
    rows.push([name, fmt(r.makespanMs.median / 1000), `${fmt(r.makespanMs.min / 1000)}–${fmt(r.makespanMs.max / 1000)}`, fmt(r.overBound.median), `${fmt(r.overBound.min)}–${fmt(r.overBound.max)}`]);
  }
  const total = ms.reduce((a, b) => a + b, 0);
  printTable(`Load balancing: ${n} CPU-bound tasks, ${fmt(total / 1000)} s CPU in all, longest ${fmt(Math.max(...ms) / 1000)} s (3 longest late), ${cores} cores, lower bound ${fmt(bound / 1000)} s, ${rounds} round(s)`, rows);
  const file = writeResult('balance', {
    params: { n, totalMs: total, longestMs: Math.max(...ms), cores, rounds, seed: 42, distribution: 'Pareto alpha 1.2, capped at half the per-core share', durationsMs: ms },
    lowerBoundMs: bound,
    results,
    targets: { inputOrder: 1.15, longestFirst: 1.05 },
  });
  return { file, results, lowerBoundMs: bound };
}
