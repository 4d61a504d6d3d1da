// Benchmark 7: Python function tasks (issue 11). Corral runs a trivial Python function per input,
// every task tracked and logged, with chunksize 1 against multiprocessing.Pool.imap_unordered
// (chunksize=1) and with chunksize 100 against Pool.map (its default chunks) and joblib.Parallel;
// then the balance benchmark's heterogeneous CPU batch as Python functions, makespan against Pool.map.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { corralBin, cores, fmt, have, printTable, interleavedRounds, root, scratch, summary, timeCommand, writeResult } from './lib/common.mjs';
import { heavyTailed, lowerBound } from './lib/durations.mjs';
import { observedBound } from './balance.mjs';

const pool = join(root, 'bench/helpers/pool.py');
const tasks = join(root, 'bench/helpers/py_tasks.py');

export async function pythonBench({ quick = false } = {}) {
  if (!have('python3')) {
    console.log('python: python3 not found; skipping the benchmark');
    return writeResult('python', { skipped: 'python3 not found' });
  }
  const sizes = quick ? [100, 200] : (process.env.BENCH_PYTHON_SIZES || '2000,20000').split(',').map(Number);
  const rounds = Number(process.env.BENCH_PYTHON_ROUNDS || (quick ? 1 : 3));
  // python3 on PATH may be a pyenv one without Debian's python3-joblib: the system one may have it.
  const joblib = ['python3', '/usr/bin/python3'].find((py) => spawnSync(py, ['-c', 'import joblib'], { stdio: 'ignore' }).status === 0);
  if (!joblib) console.log('python: joblib not importable (Debian python3-joblib); skipping the joblib contender');
  const dir = scratch('python');
  const env = { CORRAL_STATE_DIR: join(dir, 'state') };
  const trivial = {};
  for (const n of sizes) {
    const jobFile = join(dir, `trivial-${n}.yaml`);
    const text = `name: python-trivial\npython: ${JSON.stringify(`${tasks}:trivial`)}\ninputs: {range: {from: 1, to: ${n}}}\nconcurrency: ${cores}\n`;
    writeFileSync(jobFile, text);
    const chunkedFile = join(dir, `trivial-${n}-chunks.yaml`);
    writeFileSync(chunkedFile, `${text}chunksize: 100\n`);
    const contenders = [
      { name: 'corral python', run: () => timeCommand(process.execPath, [corralBin, 'run', jobFile, '--jobs', String(cores)], { env, cwd: dir }) },
      { name: 'corral python chunksize=100', run: () => timeCommand(process.execPath, [corralBin, 'run', chunkedFile, '--jobs', String(cores)], { env, cwd: dir }) },
      { name: 'Pool.imap_unordered chunksize=1', run: () => timeCommand('python3', [pool, 'imap1', String(n), String(cores)]) },
      { name: 'Pool.map (default chunks)', run: () => timeCommand('python3', [pool, 'map', String(n), String(cores)]) },
    ];
    if (joblib) contenders.push({ name: 'joblib.Parallel', run: () => timeCommand(joblib, [pool, 'joblib', String(n), String(cores)]) });
    const times = await interleavedRounds(contenders, rounds);
    const results = {};
    for (const [name, ms] of times) results[name] = { ms: summary(ms), tasksPerSec: summary(ms.map((x) => n / (x / 1000))) };
    const corral = results['corral python'].tasksPerSec.median;
    const rows = [['contender', 'tasks/s median', 'min–max', 'corral ×']];
    for (const [name, r] of Object.entries(results)) rows.push([name, fmt(r.tasksPerSec.median), `${fmt(r.tasksPerSec.min)}–${fmt(r.tasksPerSec.max)}`, fmt(corral / r.tasksPerSec.median)]);
    printTable(`Python tasks: ${n} × trivial function, ${cores} workers, ${rounds} round(s) (wall time includes start-up)`, rows);
    const chunked = results['corral python chunksize=100'].tasksPerSec.median;
    const ratio = (name, mine = corral) => (results[name] ? mine / results[name].tasksPerSec.median : null);
    trivial[n] = {
      results,
      ratios: {
        vsImapChunk1: ratio('Pool.imap_unordered chunksize=1'),
        chunked100VsPoolMap: ratio('Pool.map (default chunks)', chunked),
        chunked100VsJoblib: ratio('joblib.Parallel', chunked),
      },
    };
    console.log(`python ${n}: chunksize 1 ${fmt(trivial[n].ratios.vsImapChunk1)}× imap_unordered(chunksize=1); chunksize 100 ${fmt(trivial[n].ratios.chunked100VsPoolMap)}× Pool.map, ${fmt(trivial[n].ratios.chunked100VsJoblib ?? NaN)}× joblib`);
  }
  const balance = await balancePart({ quick, dir, env, rounds: quick ? 1 : Number(process.env.BENCH_PYTHON_BALANCE_ROUNDS || 2) });
  const file = writeResult('python', { params: { sizes, workers: cores, rounds }, trivial, balance, targets: { vsImapChunk1: 1, vsPoolMapChunked: 0.5 } });
  return { file, trivial, balance };
}

/** The balance benchmark's heavy-tailed CPU batch, as Python functions: Corral vs Pool.map. */
async function balancePart({ quick, dir, env, rounds }) {
  const n = quick ? 8 : Number(process.env.BENCH_BALANCE_N || 60);
  const ms = heavyTailed({ n, totalMs: quick ? 800 : Number(process.env.BENCH_BALANCE_TOTAL_MS || 24_000), cores });
  const bound = lowerBound(ms, cores);
  const inputs = join(dir, 'durations.txt');
  writeFileSync(inputs, ms.join('\n') + '\n');
  const jobFile = join(dir, 'busy.yaml');
  writeFileSync(jobFile, `name: python-busy\npython: ${JSON.stringify(`${tasks}:busy`)}\ninputs: {file: ${JSON.stringify(inputs)}}\nconcurrency: ${cores}\n`);
  const times = join(dir, 'times.tsv');
  const newestJoblog = () => {
    const logs = join(dir, 'state', 'joblogs', 'python-busy');
    return readFileSync(join(logs, readdirSync(logs).filter((f) => f.endsWith('.tsv')).sort().at(-1)), 'utf8');
  };
  const contenders = [
    { name: 'corral python, input order', run: () => timeCommand(process.execPath, [corralBin, 'run', jobFile, '--jobs', String(cores)], { env, cwd: dir }), times: newestJoblog },
    { name: 'Pool.map (default chunks)', run: () => timeCommand('python3', [pool, 'busy-map', String(n), String(cores), inputs, times]), times: () => readFileSync(times, 'utf8') },
  ];
  const runs = await interleavedRounds(
    contenders,
    rounds,
    async (c) => {
      const { ms: took } = await c.run();
      return { took, observed: observedBound(c.times(), cores, n) };
    },
    ({ took, observed }) => `${fmt(took / 1000)} s (${fmt(took / bound)}× bound, ${fmt(took / observed)}× observed bound)`,
  );
  const results = {};
  for (const [name, rs] of runs) results[name] = { makespanMs: summary(rs.map((x) => x.took)), overBound: summary(rs.map((x) => x.took / bound)), overObservedBound: summary(rs.map((x) => x.took / x.observed)) };
  const rows = [['contender', 'makespan s (median)', 'min–max s', '÷ lower bound', '÷ observed bound']];
  for (const [name, r] of Object.entries(results)) {
    rows.push([name, fmt(r.makespanMs.median / 1000), `${fmt(r.makespanMs.min / 1000)}–${fmt(r.makespanMs.max / 1000)}`, fmt(r.overBound.median), fmt(r.overObservedBound.median)]);
  }
  printTable(`Python load balancing: ${n} CPU-bound tasks, ${fmt(ms.reduce((a, b) => a + b, 0) / 1000)} s CPU, ${cores} cores, lower bound ${fmt(bound / 1000)} s, ${rounds} round(s)`, rows);
  return { n, lowerBoundMs: bound, results };
}
