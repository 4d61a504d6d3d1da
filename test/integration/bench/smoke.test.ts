import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Runs each benchmark with tiny sizes (--quick) and checks the JSON it writes. No timing assertions.
const repoRoot = resolve(__dirname, '../../..');
const out = mkdtempSync(join(tmpdir(), 'corral-bench-smoke-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

type Json = Record<string, unknown>;

function runBench(name: string): { json: Json; stdout: string } {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bench/run.mjs'), name, '--quick'], {
    cwd: repoRoot,
    env: { ...process.env, BENCH_RESULTS_DIR: out },
    encoding: 'utf8',
    timeout: 170_000,
  });
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  const files = readdirSync(out).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.json'));
  expect(files).toHaveLength(1);
  return { json: JSON.parse(readFileSync(join(out, files[0]), 'utf8')) as Json, stdout: r.stdout };
}

const stats = expect.objectContaining({ median: expect.any(Number), min: expect.any(Number), max: expect.any(Number), runs: expect.any(Array) });

describe('npm run bench --quick', () => {
  it('dispatch: tasks/s per contender and ratios to the bare loop, parallel and xargs', () => {
    const { json, stdout } = runBench('dispatch');
    expect(stdout).toContain('Dispatch:');
    expect(json).toMatchObject({ benchmark: 'dispatch', params: { n: expect.any(Number), rounds: 1 } });
    const results = json.results as Record<string, { tasksPerSec: unknown; ms: unknown }>;
    for (const name of ['corral (argv)', 'corral (sh)', 'bare node spawn', 'bare spawn + capture', 'xargs -P', 'GNU parallel']) {
      expect(results[name]).toEqual({ ms: stats, tasksPerSec: stats });
    }
    expect(json.ratios).toMatchObject({ 'corral (argv)': { vsBare: expect.any(Number), vsBareCaptured: expect.any(Number), vsParallel: expect.any(Number), vsXargs: expect.any(Number) } });
    expect(results['corral (argv, direct)']).toEqual({ ms: stats, tasksPerSec: stats });
    // The flat-cost part: first and last window of a long run, supervisor and helper CPU per task.
    expect(stdout).toContain('Flat cost:');
    const flat = readdirSync(out).filter((f) => f.startsWith('flatcost-'));
    expect(flat).toHaveLength(1);
    const window = { tasksPerSec: expect.any(Number), cpuMsPerTask: expect.any(Number), helperCpuMsPerTask: expect.any(Number), rssMB: expect.any(Number) };
    expect(JSON.parse(readFileSync(join(out, flat[0]), 'utf8'))).toMatchObject({ results: { helper: { first: window, last: window, endRssMB: expect.any(Number) } } });
  }, 180_000);

  it('modules: corral module tasks against Python imap_unordered chunksize 1 and Pool.map, at two sizes', () => {
    const { json } = runBench('modules');
    expect(json).toMatchObject({ params: { sizes: [100, 200], rounds: 1 } });
    const bySize = json.bySize as Record<string, { results: Record<string, unknown>; ratios: unknown }>;
    for (const n of ['100', '200']) {
      expect(Object.keys(bySize[n].results)).toEqual(['corral module', 'python imap_unordered chunksize=1', 'python Pool.map (default chunks)']);
      expect(bySize[n].ratios).toEqual({ 'corral module': { vsImapChunk1: expect.any(Number), vsPoolMap: expect.any(Number) } });
    }
  }, 180_000);

  it('sampling: CPU per tick of corral and the naive sampler, and growth with the process count', () => {
    const { json } = runBench('sampling');
    const perTick = expect.objectContaining({ selfMsPerTick: expect.any(Number), childrenMsPerTick: expect.any(Number), totalMsPerTick: expect.any(Number), percentOfCoreAt1Hz: expect.any(Number) });
    const results = json.results as { trees: unknown[]; processCount: unknown[] };
    expect(results.trees).toEqual([expect.objectContaining({ trees: 4, corral: perTick, naive: perTick, naiveOverCorral: expect.any(Number) })]);
    expect(results.processCount).toEqual([
      expect.objectContaining({ extraProcesses: 0, machineProcesses: expect.any(Number), corral: perTick, fullScanEveryTick: perTick }),
      expect.objectContaining({ extraProcesses: 20, machineProcesses: expect.any(Number), corral: perTick, fullScanEveryTick: perTick }),
    ]);
    // Every tree the benchmark started is gone.
    expect(spawnSync('sh', ['-c', "ps -eo args | grep -c '^sleep 600$'"], { encoding: 'utf8' }).stdout.trim()).toBe('0');
  }, 180_000);

  it('balance: makespan over the lower bound for every contender', () => {
    const { json } = runBench('balance');
    expect(json.lowerBoundMs).toEqual(expect.any(Number));
    expect(json.simulated).toMatchObject({ inputOrder: expect.any(Number), longestFirst: expect.any(Number), poolMapChunks: expect.any(Number) });
    const results = json.results as Record<string, unknown>;
    expect(Object.keys(results).sort()).toEqual(
      ['GNU parallel (perl)', 'corral command (perl), input order', 'corral module, input order', 'corral module, longest-first (history)', 'python Pool.map (default chunks)'].sort(),
    );
    for (const r of Object.values(results)) expect(r).toEqual({ makespanMs: stats, overBound: stats, overObservedBound: stats });
  }, 180_000);

  it('memory: load of range jobs, RSS and throughput at two sizes of a long run, the kept-output arenas, and the 10 M `true` job interrupted', () => {
    const { json, stdout } = runBench('memory');
    expect(stdout).toContain('Load: a range job');
    const results = json.results as { load: unknown[]; run: unknown[]; module: unknown[]; heap: unknown };
    const load = expect.objectContaining({ n: expect.any(Number), loadMs: expect.any(Number), heapGrowthMB: expect.any(Number), snapshotTasks: 200, sortedFirstPageMs: expect.any(Number) });
    expect(results.load).toEqual([load, load]);
    const run = expect.objectContaining({ n: expect.any(Number), early: expect.any(Number), late: expect.any(Number), peakRssMB: expect.any(Number) });
    expect(results.run).toEqual([run, run]);
    expect(results.module).toEqual([run, run]);
    expect((results.run as { n: number }[]).map((r) => r.n)).toEqual([300, 600]);
    expect(results.heap).toMatchObject({ n: 600, bytesPerEnded: expect.any(Number) });
    expect((results.heap as { marks: { ended: number }[] }).marks.at(-1)?.ended).toBe(600);
    // Ended tails and results kept off V8's heap: marks up to the last task, the live heap read after a GC.
    const arena = (json.results as { arena: { label: string; marks: { kept: number; liveMB: number; tails: number }[] }[] }).arena;
    expect(arena.map((a) => [a.label, a.marks.length, a.marks.at(-1)?.kept, a.marks.at(-1)?.tails])).toEqual([['this tree', 10, 10_000, 10_000]]);
    expect(arena[0].marks.every((m) => m.liveMB > 0)).toBe(true);
    // The 10 M `true` job, interrupted: what it ran, the columns of a row, a composed 10 M figure.
    expect(stdout).toContain("The issue's case: a 10 M-input range job of `true`");
    const t = (json.results as { true10M: { n: number; columnBytesPerTask: number; composedRssMB: number; rssAtEndMB: number } }).true10M;
    expect(t.n).toBeGreaterThan(0);
    expect(t.columnBytesPerTask).toBeGreaterThan(1);
    expect(t.columnBytesPerTask).toBeLessThan(16);
    expect(t.composedRssMB).toBeGreaterThan(t.rssAtEndMB);
  }, 180_000);

  it('soak: heap and long tasks of the dashboard, or a stated reason to skip', () => {
    const { json, stdout } = runBench('soak');
    if (json.skipped) {
      expect(stdout).toContain('soak: skipped — ');
      expect(json.reason).toEqual(expect.any(String));
      return;
    }
    expect(json.results).toMatchObject({
      ticks: 12,
      heapBytes: { afterWarmup: expect.any(Number), at5min: expect.any(Number), atEnd: expect.any(Number) },
      longtasks: { first5min: { count: expect.any(Number), p99: expect.any(Number) }, after5min: { count: expect.any(Number), p99: expect.any(Number) } },
    });
  }, 180_000);

  it('python: Corral Python tasks vs Pool and joblib at two sizes, and the balance batch in Python', () => {
    const { json, stdout } = runBench('python');
    expect(stdout).toContain('Python tasks:');
    expect(json).toMatchObject({ benchmark: 'python', params: { sizes: [100, 200], rounds: 1 } });
    const trivial = json.trivial as Record<string, { results: Record<string, unknown>; ratios: Record<string, unknown> }>;
    for (const n of ['100', '200']) {
      // CPU per task: corral's supervisor and its Python hosts (null if a host ended before it wrote); pool.py's processes all together
      for (const name of ['corral python', 'corral python chunksize=100']) {
        const r = trivial[n].results[name] as { hostsCpuUsPerTask: unknown };
        expect(r).toEqual({ ms: stats, tasksPerSec: stats, cpuUsPerTask: stats, hostsCpuUsPerTask: r.hostsCpuUsPerTask === null ? null : stats });
      }
      for (const name of ['Pool.imap_unordered chunksize=1', 'Pool.map (default chunks)']) expect(trivial[n].results[name]).toEqual({ ms: stats, tasksPerSec: stats, cpuUsPerTask: stats, hostsCpuUsPerTask: null });
      expect(trivial[n].ratios).toMatchObject({ vsImapChunk1: expect.any(Number), chunked100VsPoolMap: expect.any(Number) });
    }
    const balance = json.balance as { results: Record<string, unknown> };
    expect(Object.keys(balance.results)).toEqual(['corral python, input order', 'Pool.map (default chunks)']);
  }, 180_000);

  it('stdin: seq N | corral run -j4 true against the same pipe into GNU parallel, with the peak RSS', () => {
    const { json, stdout } = runBench('stdin');
    expect(stdout).toContain('seq N | corral run -j4 true');
    expect(json).toMatchObject({ benchmark: 'stdin', sizes: [200] });
    const [r] = json.results as Record<string, number | null>[];
    expect(r).toMatchObject({ n: 200, corralMs: expect.any(Number), corralFirstMs: expect.any(Number), corralPeakRssBytes: expect.any(Number), parallelMs: expect.any(Number) });
    expect(r.corralPeakRssBytes).toBeGreaterThan(0);
  }, 180_000);

  it('broker: trivial tasks over 3 local agents vs locally, supervisor CPU per task, failover time', () => {
    const { json, stdout } = runBench('broker');
    expect(stdout).toContain('Broker: N × `true` over 3 agents × 2 slots vs -j6 locally');
    expect(json).toMatchObject({ benchmark: 'broker', params: { sizes: [200], agents: 3, slots: 2 } });
    const [r] = json.results as Record<string, unknown>[];
    expect(r).toMatchObject({ tasks: 200, localCpuMsPerTask: expect.any(Number), brokerCpuMsPerTask: expect.any(Number), overheadMsPerTask: expect.any(Number) });
    expect(json.failover).toMatchObject({ lost: 2, failoverMs: expect.any(Number) });
  }, 180_000);

  it('rejects an unknown benchmark name with the list of names', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'bench/run.mjs'), 'nope', '--quick'], { cwd: repoRoot, env: { ...process.env, BENCH_RESULTS_DIR: out }, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('bench: unknown benchmark nope; choose from dispatch, modules, sampling, balance, soak, memory, python, stdin, broker');
  });
});
