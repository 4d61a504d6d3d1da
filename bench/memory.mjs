// Benchmark 6: memory that does not grow with the job (issue 9, items 22 and 24).
// 1. Load: a `range` job of N `true` inputs loaded in a fresh supervisor (the bundled core, one
//    child per size): load time, heap growth, and the dashboard's calls on it (snapshot, the
//    last page, a page sorted by state). Sizes 100 k, 1 M, 3 M, 10 M.
// 2. Long run (item 24): `corral run` of `echo {}` at concurrency 4, at two sizes; the CLI's RSS is
//    sampled every 250 ms and matched to the joblog's end times: throughput over tasks
//    1 000–2 000 vs the last 1 000, and RSS per ended task (from 5 000 ended to the end).
// 3. Many tiny tasks (item 22's run): a no-op `module:` job at two sizes, peak RSS and RSS per
//    ended task, and the 10 M figure extrapolated from them (a 10 M run of `true` takes ~7 h here).
// 4. Live heap (the cost of an ended task without V8's slack): the same `echo {}` run in an
//    in-process supervisor, full GC at 15 marks; heap after GC and tasks/s between marks.
// 5. Arena: 1 M ended tails and results kept in EndedOutputs/ResultStore in a
//    process of their own, full GC at marks: the live heap stays flat while the arenas fill and wrap.
// 6. The case, a 10 M-input `range` job of `true`, too long to finish here (~4 h): run for
//    BENCH_MEMORY_TRUE_SECONDS (150) and interrupted, RSS per ended task over that stretch; the
//    columns of 10 M ended rows like its own (EndedTasks filled directly); RSS at 10 M composed
//    from the two (not a measured 10 M run).
// BENCH_MEMORY_PARTS=load,run,module,heap,arena,true picks parts; --quick uses tiny sizes.
// BENCH_NODE_FLAGS gives the supervisor's Node V8 flags; BENCH_CORRAL_BIN runs another build's CLI (an A/B with the code before a change); the run parts
// also read the supervisor's CPU time (/proc/<pid>/stat) and keep its last smaps_rollup.
import { spawn, execFileSync } from 'node:child_process';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { buildDir, corralBin as ownBin, fmt, printTable, root, scratch, writeResult } from './lib/common.mjs';

const corralBin = process.env.BENCH_CORRAL_BIN || ownBin;
// BENCH_NODE_FLAGS: V8 flags for the supervisor (with --max-semi-space-size=… the CLI does not re-exec)
const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const TICKS = 100; // USER_HZ: /proc/<pid>/stat's times are in 1/100 s on Linux

export async function bundleCore() {
  const { build } = await import('esbuild');
  const outfile = join(buildDir(), 'supervisor.cjs'); // cjs: yaml's require('process') needs a real require
  await build({ entryPoints: [join(root, 'main/core/supervisor.ts')], bundle: true, platform: 'node', format: 'cjs', outfile, external: ['pidusage'], logLevel: 'warning' });
  return outfile;
}

/** EndedOutputs, ResultStore and TaskRecord of the tree at `from` (another checkout for an A/B), in one bundle. */
async function bundleArena(from) {
  const { build } = await import('esbuild');
  const outfile = join(buildDir(), `arena-${from === root ? 'own' : 'other'}.cjs`);
  const contents = ['endedOutputs', 'results', 'task'].map((f) => `export * from './main/core/pool/${f}.ts';`).join('\n');
  await build({ stdin: { contents, resolveDir: from, loader: 'ts' }, bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'warning' });
  return outfile;
}

/** EndedTasks of this tree in a bundle of its own (the columns a 10 M run would hold). */
async function bundleEnded() {
  const { build } = await import('esbuild');
  const outfile = join(buildDir(), 'ended-tasks.cjs');
  await build({ entryPoints: [join(root, 'main/core/pool/endedTasks.ts')], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'warning' });
  return outfile;
}

/** The arena run: N kept tails and results, one JSON line per mark. */
function arenaMarks(bundle, n) {
  const out = execFileSync(process.execPath, ['--expose-gc', join(root, 'bench/helpers/arena.mjs'), bundle, String(n)], { encoding: 'utf8' });
  return out.trim().split('\n').map((l) => JSON.parse(l));
}

/** The live-heap run: one JSON line per mark. */
function heapMarks(bundle, n, kind) {
  const args = ['--expose-gc', join(root, 'bench/helpers/long-run.mjs'), bundle, String(n), kind, join(root, 'bench/helpers/trivial.mjs')];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  return out.trim().split('\n').map((l) => JSON.parse(l));
}

function loadRow(bundle, n) {
  const out = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', join(root, 'bench/helpers/load-job.mjs'), bundle, String(n)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop());
}

/** The process's user + system CPU seconds, or null once it is gone. */
function cpuOf(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / TICKS; // utime, stime (fields 14, 15)
  } catch {
    return null;
  }
}

function smapsOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  } catch {
    return null;
  }
}

function rssOf(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** End times (Starttime + JobRuntime) of every joblog row, sorted; read line by line. */
export async function joblogEnds(joblog) {
  const ends = [];
  let header = true;
  for await (const line of createInterface({ input: createReadStream(joblog), crlfDelay: Infinity })) {
    if (header || !line) {
      header = false;
      continue;
    }
    const c = line.split('\t');
    ends.push(Number(c[2]) + Number(c[3]));
  }
  return Float64Array.from(ends).sort();
}

/** Runs a job file with `corral run`, sampling the supervisor's RSS; returns samples and the joblog's end times. */
function runSampled(dir, name, jobText, jobs, stopAfterS = null) {
  const file = join(dir, `${name}.yaml`);
  const joblog = join(dir, `${name}.tsv`);
  writeFileSync(file, jobText);
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [...nodeFlags, corralBin, 'run', file, '--jobs', String(jobs), '--joblog', joblog], { cwd: dir, env: { ...process.env, CORRAL_STATE_DIR: join(dir, 'state') }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const samples = [];
    let cpuS = null;
    let smaps = null;
    let ticks = 0;
    const timer = setInterval(() => {
      const rss = rssOf(child.pid);
      if (rss !== null) samples.push({ t: Date.now() / 1000, rss });
      cpuS = cpuOf(child.pid) ?? cpuS;
      if (ticks++ % 40 === 0) smaps = smapsOf(child.pid) ?? smaps; // every 10 s: the last one is near the end
    }, 250);
    // stopAfterS: Ctrl-C after that long (a run too long to finish here); its exit is then the interrupt's.
    const stop = stopAfterS === null ? null : setTimeout(() => child.kill('SIGINT'), stopAfterS * 1000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      if (stop) clearTimeout(stop);
      if (code !== 0 && stopAfterS === null) return reject(new Error(`bench: corral run ${name} exited ${code}: ${err.slice(-400)}`));
      const wallS = (Date.now() - t0) / 1000;
      // Streamed: a 10 M-row joblog is over the longest string V8 can make.
      joblogEnds(joblog).then((ends) => resolve({ samples, ends, wallS, cpuS, smaps }), reject);
    });
  });
}

/** Ended tasks at time t (the joblog rows written by then). */
export function endedAt(ends, t) {
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Throughput over tasks W..2W and the last W (W = 1 000, less for --quick); RSS per ended task from `from` on. */
function figures({ samples, ends, wallS, cpuS, smaps }, from) {
  const n = ends.length;
  const w = Math.min(1000, Math.floor(n / 10));
  // The joblog's times have 1 ms resolution, and ends the supervisor learns of in one turn share one
  // time: a window of quick tasks can span 0 ms on a loaded machine (--quick has 30-task windows).
  const rate = (a, b) => (b - a) / Math.max(ends[b - 1] - ends[a - 1], 0.001);
  const withCount = samples.map((s) => ({ ...s, ended: endedAt(ends, s.t) }));
  const at = (k) => withCount.find((s) => s.ended >= k) ?? withCount[withCount.length - 1];
  const a = at(from);
  const b = at(n - Math.min(200, Math.floor(n / 20)));
  return {
    n,
    wallS,
    window: w,
    early: rate(w, 2 * w),
    late: rate(n - w, n),
    peakRssMB: Math.max(...samples.map((s) => s.rss)) / 2 ** 20,
    rssAtFromMB: a.rss / 2 ** 20,
    rssAtEndMB: b.rss / 2 ** 20,
    bytesPerEnded: b.ended > a.ended ? (b.rss - a.rss) / (b.ended - a.ended) : null,
    // read every 250 ms: the last reading misses at most the final quarter second
    cpuUsPerTask: cpuS === null ? null : (cpuS * 1e6) / n,
    smapsNearEnd: smaps,
  };
}

export async function memoryBench({ quick = false } = {}) {
  const parts = (process.env.BENCH_MEMORY_PARTS ?? 'load,run,module,heap,arena,true').split(',');
  const dir = scratch('memory');
  const results = {};
  const bundle = parts.includes('load') || parts.includes('heap') ? await bundleCore() : null;
  if (parts.includes('load')) {
    const sizes = quick ? [1000, 10_000] : [100_000, 1_000_000, 3_000_000, 10_000_000];
    results.load = sizes.map((n) => loadRow(bundle, n));
    const rows = [['inputs', 'load ms', 'heap +MB', 'RSS MB', 'snapshot ms (rows)', 'last page ms', 'sorted page ms (next)', 'RSS MB after sorting']];
    for (const r of results.load) rows.push([String(r.n), fmt(r.loadMs, 0), fmt(r.heapGrowthMB, 1), fmt(r.rssMB, 0), `${fmt(r.snapshotMs, 1)} (${r.snapshotTasks})`, fmt(r.lastPageMs, 1), `${fmt(r.sortedFirstPageMs, 0)} (${fmt(r.sortedNextPageMs, 1)})`, fmt(r.peakRssMB, 0)]);
    printTable('Load: a range job of `true`, fresh supervisor per size', rows);
  }
  const runTable = (title, list) => {
    const rows = [['tasks', 'wall s', 'tasks/s W–2W', 'tasks/s last W', 'W', 'peak RSS MB', 'RSS MB at 5 000 → end', 'bytes per ended task', 'CPU µs per task']];
    for (const r of list) rows.push([String(r.n), fmt(r.wallS, 0), fmt(r.early, 0), fmt(r.late, 0), String(r.window), fmt(r.peakRssMB, 0), `${fmt(r.rssAtFromMB, 0)} → ${fmt(r.rssAtEndMB, 0)}`, r.bytesPerEnded === null ? '-' : fmt(r.bytesPerEnded, 0), r.cpuUsPerTask === null ? '-' : fmt(r.cpuUsPerTask, 0)]);
    printTable(title, rows);
  };
  if (parts.includes('run')) {
    const sizes = quick ? [300, 600] : [7_500, 15_000];
    results.run = [];
    for (const n of sizes) {
      const r = await runSampled(dir, `echo-${n}`, `name: echo-${n}\ncommand: echo {}\ninputs:\n  range: { from: 1, to: ${n} }\n`, 4);
      results.run.push(figures(r, quick ? 100 : 5000));
    }
    runTable('Long run: `echo {}`, concurrency 4 (corral run, RSS of the supervisor)', results.run);
  }
  if (parts.includes('module')) {
    const sizes = quick ? [300, 600] : (process.env.BENCH_MEMORY_MODULE_SIZES ?? '100000,300000').split(',').map(Number);
    results.module = [];
    for (const n of sizes) {
      const mod = join(root, 'bench/helpers/trivial.mjs');
      const r = await runSampled(dir, `module-${n}`, `name: module-${n}\nmodule: ${JSON.stringify(mod)}\ninputs:\n  range: { from: 1, to: ${n} }\n`, 4);
      results.module.push(figures(r, quick ? 100 : 5000));
    }
    runTable('Many tiny tasks: a no-op module, concurrency 4', results.module);
    const last = results.module[results.module.length - 1];
    if (last.bytesPerEnded !== null) {
      results.extrapolated10M = { rssMB: last.rssAtEndMB + ((10_000_000 - last.n) * Math.max(0, last.bytesPerEnded)) / 2 ** 20, from: last.n };
      console.log(`memory: 10 M tasks extrapolated from ${last.n} (RSS at the end + bytes per ended task × the rest): ${fmt(results.extrapolated10M.rssMB, 0)} MB`);
    }
  }
  if (parts.includes('heap')) {
    const n = quick ? 600 : Number(process.env.BENCH_MEMORY_HEAP_N || 15_000);
    const marks = heapMarks(bundle, n, process.env.BENCH_MEMORY_HEAP_KIND ?? 'command');
    const first = marks[Math.min(2, marks.length - 1)];
    const last = marks[marks.length - 1];
    results.heap = { n, marks, bytesPerEnded: last.ended > first.ended ? ((last.liveMB - first.liveMB) * 2 ** 20) / (last.ended - first.ended) : null };
    const rows = [['ended', 's', 'tasks/s since last', 'live heap MB', 'RSS MB', 'young gen MB']];
    for (const m of marks) rows.push([String(m.ended), fmt(m.s, 0), fmt(m.tasksPerSec, 0), fmt(m.liveMB, 1), fmt(m.rssMB, 0), fmt(m.youngMB, 0)]);
    printTable(`Live heap after GC: ${n} × \`echo {}\`, concurrency 4, in-process supervisor — ${results.heap.bytesPerEnded === null ? '-' : fmt(results.heap.bytesPerEnded, 0)} bytes per ended task`, rows);
  }
  if (parts.includes('arena')) {
    // BENCH_MEMORY_ARENA_FROM: a checkout of the code before (git archive of the base commit, built) to compare.
    const n = quick ? 10_000 : Number(process.env.BENCH_MEMORY_ARENA_N || 1_000_000);
    const trees = [['this tree', root], ...(process.env.BENCH_MEMORY_ARENA_FROM ? [['before', process.env.BENCH_MEMORY_ARENA_FROM]] : [])];
    results.arena = [];
    const rows = [['code', 'kept', 'live heap MB', 'external MB', 'RSS MB', 'µs per task', 'tails kept', 'results kept']];
    for (const [label, from] of trees) {
      const marks = arenaMarks(await bundleArena(from), n);
      results.arena.push({ label, marks });
      for (const m of marks) rows.push([label, String(m.kept), fmt(m.liveMB, 1), fmt(m.externalMB, 1), fmt(m.rssMB, 0), fmt(m.usPerTask, 1), String(m.tails), String(m.results)]);
    }
    printTable(`Arena: ${n} ended no-op module tasks' tails and results kept (full GC at each mark)`, rows);
  }
  if (parts.includes('true')) {
    const total = 10_000_000;
    const seconds = quick ? 6 : Number(process.env.BENCH_MEMORY_TRUE_SECONDS || 150);
    const r = await runSampled(dir, 'true-10m', `name: true-10m\ncommand: "true"\ninputs:\n  range: { from: 1, to: ${total} }\n`, 4, seconds);
    // From a quarter of the stretch on: the first ~20 000 tasks grow V8's heap to its working size.
    const from = Math.max(quick ? 100 : 5000, Math.floor(r.ends.length / 4));
    const f = figures(r, from);
    // The rows of the tasks it ran, as many as a 10 M run would hold: starts as far apart as its own.
    const gapMs = r.ends.length > 1 ? Math.max(0.001, (r.ends[r.ends.length - 1] - r.ends[0]) * 1000 / (r.ends.length - 1)) : 2.5;
    const columns = JSON.parse(execFileSync(process.execPath, [join(root, 'bench/helpers/ended-columns.mjs'), await bundleEnded(), String(quick ? 100_000 : total), String(gapMs)], { encoding: 'utf8' }).trim().split('\n').pop());
    const perTask = columns.bytes / columns.n;
    // What grows with the tasks run is their columns; the rest of the run's RSS stays (see the RSS columns: flat).
    const composedMB = f.rssAtEndMB + (perTask * (total - f.n)) / 2 ** 20;
    results.true10M = { ...f, from, seconds, gapMs, columnBytesPerTask: perTask, composedRssMB: composedMB };
    printTable(`The issue's case: a ${total / 1e6} M-input range job of \`true\`, interrupted after ${seconds} s (corral run -j4)`, [
      ['ended', 'tasks/s', 'peak RSS MB', 'RSS MB at ended', 'bytes per ended task', 'columns per ended task (10 M rows)', 'RSS at 10 M, composed MB'],
      [String(f.n), fmt(f.n / r.wallS, 0), fmt(f.peakRssMB, 0), `${fmt(f.rssAtFromMB, 0)} at ${from} → ${fmt(f.rssAtEndMB, 0)} at ${f.n}`, f.bytesPerEnded === null ? '-' : fmt(f.bytesPerEnded, 0), fmt(perTask, 1), fmt(composedMB, 0)],
    ]);
    console.log('memory: RSS at 10 M composed = RSS at the end of the stretch + the columns of the tasks it did not run (the stretch shows the rest flat); not a measured 10 M run');
  }
  const file = writeResult('memory', { params: { quick }, results, targets: { load1MMs: 1000, rss10MMB: 300 } });
  return { file, results };
}
