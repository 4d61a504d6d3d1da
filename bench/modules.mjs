// Benchmark 2: module tasks (a trivial function, every task tracked) vs Python multiprocessing,
// at two sizes (start-up weighs on the small one).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corralBin, cores, fmt, have, printTable, interleavedRounds, root, scratch, summary, timeCommand, writeResult } from './lib/common.mjs';

export async function modulesBench({ quick = false } = {}) {
  const sizes = quick ? [100, 200] : (process.env.BENCH_MODULES_SIZES || process.env.BENCH_MODULES_N || '2000,20000').split(',').map(Number);
  const rounds = Number(process.env.BENCH_MODULES_ROUNDS || (quick ? 1 : 3));
  const dir = scratch('modules');
  const env = { CORRAL_STATE_DIR: join(dir, 'state') };
  const pool = join(root, 'bench/helpers/pool.py');
  if (!have('python3')) console.log('modules: python3 not found; skipping the Python contenders');
  const bySize = {};
  for (const n of sizes) {
    const jobFile = join(dir, `modules-${n}.yaml`);
    writeFileSync(jobFile, `name: modules-trivial\nmodule: ${JSON.stringify(join(root, 'bench/helpers/trivial.mjs'))}\ninputs: {range: {from: 1, to: ${n}}}\nconcurrency: ${cores}\n`);
    const contenders = [{ name: 'corral module', run: () => timeCommand(process.execPath, [corralBin, 'run', jobFile, '--jobs', String(cores)], { env, cwd: dir }) }];
    if (have('python3')) {
      contenders.push({ name: 'python imap_unordered chunksize=1', run: () => timeCommand('python3', [pool, 'imap1', String(n), String(cores)]) });
      contenders.push({ name: 'python Pool.map (default chunks)', run: () => timeCommand('python3', [pool, 'map', String(n), String(cores)]) });
    }
    const times = await interleavedRounds(contenders, rounds);
    const results = {};
    for (const [name, ms] of times) results[name] = { ms: summary(ms), tasksPerSec: summary(ms.map((x) => n / (x / 1000))) };
    const med = (name) => results[name]?.tasksPerSec.median;
    const ratio = (name) => (med(name) ? med('corral module') / med(name) : null);
    const ratios = { 'corral module': { vsImapChunk1: ratio('python imap_unordered chunksize=1'), vsPoolMap: ratio('python Pool.map (default chunks)') } };
    const rows = [['contender', 'tasks/s median', 'min–max', 'corral ×']];
    for (const [name, r] of Object.entries(results)) rows.push([name, fmt(r.tasksPerSec.median), `${fmt(r.tasksPerSec.min)}–${fmt(r.tasksPerSec.max)}`, fmt(med('corral module') / r.tasksPerSec.median)]);
    printTable(`Module tasks: ${n} × trivial function, ${cores} workers, ${rounds} round(s) (wall time includes start-up)`, rows);
    bySize[n] = { results, ratios };
  }
  const file = writeResult('modules', { params: { sizes, workers: cores, rounds }, bySize, targets: { vsImapChunk1: 1 } });
  return { file, bySize };
}
