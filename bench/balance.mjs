// Benchmark 4: load balancing of a heterogeneous CPU-bound batch. Makespan of each contender
// divided by the lower bound max(total work / cores, longest task).
// Work: each task spins until its process has used the given ms of CPU time — in-process for
// Corral module tasks (bench/helpers/busy.mjs) and Python Pool.map (pool.py busy), and as a
// perl command (bench/helpers/busy.pl, ~2 ms start-up) for GNU parallel and a Corral command job.
// A shared machine stretches every task's wall time, which no scheduler can help, so each run
// is also divided by its *observed* bound: max(Σ task wall runtimes / cores, longest runtime),
// with runtimes from the joblog (Corral, GNU parallel) or timed inside the task (Python).
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corralBin, cores, fmt, have, printTable, interleavedRounds, root, scratch, summary, timeCommand, writeResult } from './lib/common.mjs';
import { heavyTailed, lowerBound, simulatedSchedules } from './lib/durations.mjs';

export async function balanceBench({ quick = false } = {}) {
  const n = quick ? 8 : Number(process.env.BENCH_BALANCE_N || 60);
  const totalMs = quick ? 800 : Number(process.env.BENCH_BALANCE_TOTAL_MS || 24_000);
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
  const times = join(dir, 'times.tsv');
  // Corral keeps its default joblogs (the history longest-first reads); we read the newest one.
  const newestJoblog = (name) => () => {
    const logs = join(dir, 'state', 'joblogs', name);
    return readFileSync(join(logs, readdirSync(logs).filter((f) => f.endsWith('.tsv')).sort().at(-1)), 'utf8');
  };
  const corral = (file) => () => timeCommand(process.execPath, [corralBin, 'run', file, '--jobs', String(cores)], { env, cwd: dir });

  // The input-order module run comes first in round 1: it writes the history longest-first reads.
  const contenders = [
    { name: 'corral module, input order', run: corral(inputJob), times: newestJoblog('balance-module') },
    { name: 'corral module, longest-first (history)', run: corral(historyJob), times: newestJoblog('balance-module') },
    { name: 'corral command (perl), input order', run: corral(commandJob), times: newestJoblog('balance-command') },
  ];
  if (have('python3')) contenders.push({ name: 'python Pool.map (default chunks)', run: () => timeCommand('python3', [join(root, 'bench/helpers/pool.py'), 'busy-map', String(n), String(cores), inputs, times]) });
  if (have('parallel')) contenders.push({ name: 'GNU parallel (perl)', run: () => timeCommand('parallel', ['-j', String(cores), '--joblog', times, 'perl', busyPl, '{}', '::::', inputs]) });

  const runs = await interleavedRounds(
    contenders,
    rounds,
    async (c) => {
      rmSync(times, { force: true });
      const { ms: took } = await c.run();
      return { took, observed: observedBound(c.times ? c.times() : readFileSync(times, 'utf8'), cores, n) };
    },
    ({ took, observed }) => `${fmt(took / 1000)} s (${fmt(took / bound)}× bound, ${fmt(took / observed)}× observed bound)`,
  );
  const results = {};
  for (const [name, rs] of runs) {
    results[name] = { makespanMs: summary(rs.map((x) => x.took)), overBound: summary(rs.map((x) => x.took / bound)), overObservedBound: summary(rs.map((x) => x.took / x.observed)) };
  }
  const rows = [['contender', 'makespan s (median)', 'min–max s', '÷ lower bound', 'min–max', '÷ observed bound', 'min–max']];
  for (const [name, r] of Object.entries(results)) {
    const o = r.overObservedBound;
    rows.push([name, fmt(r.makespanMs.median / 1000), `${fmt(r.makespanMs.min / 1000)}–${fmt(r.makespanMs.max / 1000)}`, fmt(r.overBound.median), `${fmt(r.overBound.min)}–${fmt(r.overBound.max)}`, fmt(o.median), `${fmt(o.min)}–${fmt(o.max)}`]);
  }
  const total = ms.reduce((a, b) => a + b, 0);
  const sim = simulatedSchedules(ms, cores);
  printTable('Schedules alone (simulated with the nominal durations, zero overhead)', [
    ['order', 'makespan s', '÷ lower bound'],
    ['input order (Corral, GNU parallel)', fmt(sim.inputOrder / 1000), fmt(sim.inputOrder / bound)],
    ['longest first (Corral with history)', fmt(sim.longestFirst / 1000), fmt(sim.longestFirst / bound)],
    [`Pool.map chunks of ${sim.poolMapChunkSize}`, fmt(sim.poolMapChunks / 1000), fmt(sim.poolMapChunks / bound)],
  ]);
  printTable(`Load balancing: ${n} CPU-bound tasks, ${fmt(total / 1000)} s CPU in all, longest ${fmt(Math.max(...ms) / 1000)} s (3 longest late), ${cores} cores, lower bound ${fmt(bound / 1000)} s, ${rounds} round(s)`, rows);
  const file = writeResult('balance', {
    params: { n, totalMs: total, longestMs: Math.max(...ms), cores, rounds, seed: 7, distribution: 'Pareto alpha 1.0, capped at half the per-core share, the 3 longest moved late', durationsMs: ms },
    lowerBoundMs: bound,
    simulated: { ...sim, overBound: { inputOrder: sim.inputOrder / bound, longestFirst: sim.longestFirst / bound, poolMapChunks: sim.poolMapChunks / bound } },
    results,
    targets: { inputOrder: 1.15, longestFirst: 1.05 },
  });
  return { file, results, lowerBoundMs: bound };
}

/**
 * max(Σ runtimes / cores, longest runtime) from a joblog-like TSV: GNU parallel's and Corral's
 * joblogs (header, Starttime in column 3, JobRuntime in column 4) or pool.py's "start\truntime".
 */
export function observedBound(text, cores, expected) {
  const lines = text.split('\n').filter((l) => l && !l.startsWith('Seq\t'));
  const runtimes = lines.map((l) => {
    const f = l.split('\t');
    return Number(f.length >= 4 ? f[3] : f[1]) * 1000;
  });
  if (runtimes.length !== expected || runtimes.some((x) => !Number.isFinite(x))) {
    throw new Error(`bench: expected ${expected} task runtimes, read ${runtimes.length}`);
  }
  return Math.max(runtimes.reduce((a, b) => a + b, 0) / cores, Math.max(...runtimes));
}
