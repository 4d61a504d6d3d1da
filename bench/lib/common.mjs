// Shared helpers for the benchmarks: timing a child process, statistics, tables, JSON results.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const corralBin = join(root, 'bin', 'corral.cjs');
export const cores = os.availableParallelism();

/** Where results (and build artefacts under .build/) go; git-ignored. BENCH_RESULTS_DIR overrides. */
export function resultsDir() {
  const dir = process.env.BENCH_RESULTS_DIR || join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function buildDir() {
  const dir = join(root, 'bench', 'results', '.build');
  mkdirSync(dir, { recursive: true });
  return dir;
}

const scratchDirs = new Set();
process.on('exit', () => {
  if (!process.env.BENCH_KEEP) for (const d of scratchDirs) rmSync(d, { recursive: true, force: true });
});

/** A fresh scratch folder for one benchmark's job files, state and joblogs; removed at exit unless BENCH_KEEP=1. */
export function scratch(name) {
  const dir = join(os.tmpdir(), `corral-bench-${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  scratchDirs.add(dir);
  return dir;
}

/** Builds the CLI, module host and reaper unless they are already built (BENCH_REBUILD=1 forces). */
export function ensureCorralBuilt() {
  const need = ['out/cli/corral.cjs', 'out/workers/host.mjs', 'out/workers/reaper.cjs', 'out/workers/spawner.cjs'];
  if (!process.env.BENCH_REBUILD && need.every((f) => existsSync(join(root, f)))) return;
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'cli', 'host', 'reaper', 'spawner', 'examples'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('bench: building the CLI failed (node scripts/build.mjs cli host reaper spawner examples)');
}

/**
 * Runs a command to completion and returns its wall time in ms (spawn to exit, so process
 * start-up counts for every contender alike). Throws when it fails: a failed run is no result.
 */
export function timeCommand(file, args, { env, cwd, input, stdout = 'ignore' } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(file, args, { env: { ...process.env, ...env }, cwd, stdio: [input === undefined ? 'ignore' : 'pipe', stdout === 'ignore' ? 'ignore' : 'pipe', 'pipe'] });
    let err = '';
    let out = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout?.on('data', (d) => (out += d));
    if (input !== undefined) child.stdin.end(input);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = performance.now() - t0;
      if (code === 0) resolve({ ms, stdout: out, stderr: err });
      else reject(new Error(`bench: ${file} ${args.join(' ')} exited ${code ?? signal}: ${err.trim().slice(-500)}`));
    });
  });
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median and spread of a list of numbers. */
export function summary(xs) {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs };
}

/** Rotates the contender order each round so no contender always runs on a warm (or cold) machine. */
export function rotated(list, round) {
  const k = round % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

/**
 * Runs each contender once per round, rotating the order, and prints one line per run.
 * `measure(c)` returns one round's result; `label(result)` says it. Returns name → results.
 */
export async function interleavedRounds(contenders, rounds, measure = async (c) => (await c.run()).ms, label = (ms) => `${fmt(ms, 0)} ms`) {
  const results = new Map(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < rounds; r++) {
    for (const c of rotated(contenders, r)) {
      const result = await measure(c);
      results.get(c.name).push(result);
      process.stdout.write(`  round ${r + 1}/${rounds} ${c.name}: ${label(result)}\n`);
    }
  }
  return results;
}

export function fmt(x, digits = 2) {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  return abs >= 100 ? x.toFixed(0) : abs >= 10 ? x.toFixed(1) : x.toFixed(digits);
}

/** Prints a plain-text table: rows of cells, first row the header. */
export function printTable(title, rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  console.log(`\n${title}`);
  console.log(line(rows[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(1)) console.log(line(r));
}

/** Writes bench/results/<name>-<timestamp>.json and returns its path. */
export function writeResult(name, data) {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(resultsDir(), `${name}-${stamp}.json`);
  const body = { benchmark: name, at: new Date().toISOString(), machine: machineInfo(), ...data };
  writeFileSync(file, JSON.stringify(body, null, 2) + '\n');
  console.log(`results: ${file}`);
  return file;
}

export function machineInfo() {
  return { cores, cpu: os.cpus()[0]?.model ?? 'unknown', node: process.version, platform: process.platform, loadavg: os.loadavg() };
}

/** True when a program is on PATH. */
export function have(program) {
  return spawnSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status === 0;
}

/** Number of processes on the machine right now (Linux: /proc entries). */
export function processCount() {
  const r = spawnSync('sh', ['-c', 'ls -d /proc/[0-9]* | wc -l'], { encoding: 'utf8' });
  return Number(r.stdout.trim());
}
