// Benchmark 7: Python function tasks (issue 11). Corral runs a trivial Python function per input,
// every task tracked and logged, with chunksize 1 against multiprocessing.Pool.imap_unordered
// (chunksize=1) and with chunksize 100 against Pool.map (its default chunks) and joblib.Parallel;
// then the balance benchmark's heterogeneous CPU batch as Python functions, makespan against Pool.map.
// Besides wall time, each run's CPU per task: corral's supervisor and its hosts apart, pool.py's
// processes together. BENCH_CORRAL_BASELINE=<another built checkout> adds its corral to the rounds.
// The host alone, without the supervisor: python3 bench/helpers/pyhost_drive.py [HOST] [N] [W].
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { corralBin, cores, fmt, have, printTable, interleavedRounds, root, scratch, summary, timeCommand, writeResult } from './lib/common.mjs';
import { heavyTailed, lowerBound } from './lib/durations.mjs';
import { observedBound } from './balance.mjs';

const pool = join(root, 'bench/helpers/pool.py');
const tasks = join(root, 'bench/helpers/py_tasks.py');
const cpuAtExit = join(root, 'bench/helpers/cpu-at-exit.cjs');

/**
 * Runs a contender and reads the CPU it used besides its wall time: `corral run` with the
 * supervisor's own CPU (bench/helpers/cpu-at-exit.cjs) and each Python host's
 * (CORRAL_PYHOST_STATS, written by the host as it exits); pool.py with its own and its reaped
 * workers' CPU. Seconds; null where not measured (joblib's workers outlive it).
 */
async function timedWithCpu(dir, file, args, opts = {}) {
  const cpuFile = join(dir, 'cpu.json');
  const hostDir = join(dir, 'host-stats');
  rmSync(cpuFile, { force: true });
  rmSync(hostDir, { recursive: true, force: true });
  mkdirSync(hostDir);
  const env = { ...opts.env, BENCH_CPU_FILE: cpuFile, CORRAL_PYHOST_STATS: hostDir };
  const { ms } = await timeCommand(file, args, { ...opts, env });
  const seconds = (u) => u.user + u.system;
  const own = existsSync(cpuFile) ? seconds(JSON.parse(readFileSync(cpuFile, 'utf8'))) : null;
  // Hosts end as the supervisor exits: their files may come a moment later (one per slot at least).
  const statFiles = () => readdirSync(hostDir).filter((f) => f.endsWith('.json'));
  for (const until = Date.now() + 3000; opts.hosts && statFiles().length < opts.hosts && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
  const hosts = statFiles().map((f) => JSON.parse(readFileSync(join(hostDir, f), 'utf8')));
  // Fewer than one per slot: a host ended before it could write (not measured, rather than undercounted).
  const complete = hosts.length > 0 && hosts.length >= (opts.hosts ?? 1);
  return { ms, cpu: own, hostsCpu: complete ? hosts.reduce((a, h) => a + seconds(h), 0) : null };
}

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
  // Another checkout (built) to compare with in the same interleaved rounds, e.g. the commit before a change.
  const baseline = process.env.BENCH_CORRAL_BASELINE ? join(process.env.BENCH_CORRAL_BASELINE, 'bin', 'corral.cjs') : null;
  const dir = scratch('python');
  const env = { CORRAL_STATE_DIR: join(dir, 'state') };
  const trivial = {};
  for (const n of sizes) {
    const jobFile = join(dir, `trivial-${n}.yaml`);
    const text = `name: python-trivial\npython: ${JSON.stringify(`${tasks}:trivial`)}\ninputs: {range: {from: 1, to: ${n}}}\nconcurrency: ${cores}\n`;
    writeFileSync(jobFile, text);
    const chunkedFile = join(dir, `trivial-${n}-chunks.yaml`);
    writeFileSync(chunkedFile, `${text}chunksize: 100\n`);
    const corralRun = (file, bin = corralBin) => () => timedWithCpu(dir, process.execPath, ['-r', cpuAtExit, bin, 'run', file, '--jobs', String(cores)], { env, cwd: dir, hosts: cores });
    const poolRun = (py, mode) => () => timedWithCpu(dir, py, [pool, mode, String(n), String(cores)]);
    const contenders = [
      { name: 'corral python', run: corralRun(jobFile) },
      { name: 'corral python chunksize=100', run: corralRun(chunkedFile) },
      { name: 'Pool.imap_unordered chunksize=1', run: poolRun('python3', 'imap1') },
      { name: 'Pool.map (default chunks)', run: poolRun('python3', 'map') },
    ];
    if (baseline) {
      contenders.push({ name: 'baseline corral python', run: corralRun(jobFile, baseline) });
      contenders.push({ name: 'baseline corral python chunksize=100', run: corralRun(chunkedFile, baseline) });
    }
    // joblib's loky workers outlive pool.py, so its CPU would be its main process's alone: not shown.
    if (joblib) contenders.push({ name: 'joblib.Parallel', run: async () => ({ ...(await poolRun(joblib, 'joblib')()), cpu: null }) });
    const perTask = (s) => (s === null ? null : (s / n) * 1e6);
    const runs = await interleavedRounds(
      contenders,
      rounds,
      (c) => c.run(),
      (r) => `${fmt(r.ms, 0)} ms` + (r.cpu === null ? '' : `, CPU ${fmt(perTask(r.cpu))} µs/task`) + (r.hostsCpu === null ? '' : ` + hosts ${fmt(perTask(r.hostsCpu))} µs/task`),
    );
    const results = {};
    // Over the rounds that measured it (a host's file may be missing in one)
    const cpuSummary = (xs) => (xs.every((x) => x === null) ? null : summary(xs.filter((x) => x !== null).map(perTask)));
    for (const [name, rs] of runs) {
      results[name] = {
        ms: summary(rs.map((r) => r.ms)),
        tasksPerSec: summary(rs.map((r) => n / (r.ms / 1000))),
        // µs per task: the supervisor's (pool.py: all its processes') and the Python hosts' together
        cpuUsPerTask: cpuSummary(rs.map((r) => r.cpu)),
        hostsCpuUsPerTask: cpuSummary(rs.map((r) => r.hostsCpu)),
      };
    }
    const corral = results['corral python'].tasksPerSec.median;
    const rows = [['contender', 'tasks/s median', 'min–max', 'corral ×', 'CPU µs/task', 'hosts µs/task']];
    for (const [name, r] of Object.entries(results)) {
      rows.push([name, fmt(r.tasksPerSec.median), `${fmt(r.tasksPerSec.min)}–${fmt(r.tasksPerSec.max)}`, fmt(corral / r.tasksPerSec.median), r.cpuUsPerTask ? fmt(r.cpuUsPerTask.median) : '–', r.hostsCpuUsPerTask ? fmt(r.hostsCpuUsPerTask.median) : '–']);
    }
    printTable(`Python tasks: ${n} × trivial function, ${cores} workers, ${rounds} round(s) (wall time includes start-up; CPU: corral's supervisor, pool.py all its processes)`, rows);
    const chunked = results['corral python chunksize=100'].tasksPerSec.median;
    const ratio = (name, mine = corral) => (results[name] ? mine / results[name].tasksPerSec.median : null);
    trivial[n] = {
      results,
      ratios: {
        vsImapChunk1: ratio('Pool.imap_unordered chunksize=1'),
        chunked100VsPoolMap: ratio('Pool.map (default chunks)', chunked),
        chunked100VsJoblib: ratio('joblib.Parallel', chunked),
        ...(baseline ? { vsBaseline: ratio('baseline corral python'), chunked100VsBaseline: ratio('baseline corral python chunksize=100', chunked) } : {}),
      },
    };
    console.log(`python ${n}: chunksize 1 ${fmt(trivial[n].ratios.vsImapChunk1)}× imap_unordered(chunksize=1); chunksize 100 ${fmt(trivial[n].ratios.chunked100VsPoolMap)}× Pool.map, ${fmt(trivial[n].ratios.chunked100VsJoblib ?? NaN)}× joblib`);
  }
  const balance = await balancePart({ quick, dir, env, rounds: quick ? 1 : Number(process.env.BENCH_PYTHON_BALANCE_ROUNDS || 2) });
  const file = writeResult('python', { params: { sizes, workers: cores, rounds, baseline }, trivial, balance, targets: { vsImapChunk1: 1, vsPoolMapChunked: 0.5 } });
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
