// Benchmark 2: module tasks (a trivial function, every task tracked) vs Python multiprocessing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corralBin, cores, fmt, have, printTable, interleavedRounds, root, scratch, summary, timeCommand, writeResult } from './lib/common.mjs';

export async function modulesBench({ quick = false } = {}) {
  const n = Number(process.env.BENCH_MODULES_N || (quick ? 200 : 20000));
  const rounds = Number(process.env.BENCH_MODULES_ROUNDS || (quick ? 1 : 3));
  const dir = scratch('modules');
  const jobFile = join(dir, 'modules.yaml');
  writeFileSync(jobFile, `name: modules-trivial\nmodule: ${JSON.stringify(join(root, 'bench/helpers/trivial.mjs'))}\ninputs: {range: {from: 1, to: ${n}}}\nconcurrency: ${cores}\n`);
  const env = { CORRAL_STATE_DIR: join(dir, 'state') };
  const pool = join(root, 'bench/helpers/pool.py');
  const contenders = [{ name: 'corral module', run: () => timeCommand(process.execPath, [corralBin, 'run', jobFile, '--jobs', String(cores)], { env, cwd: dir }) }];
  if (have('python3')) {
    contenders.push({ name: 'python imap_unordered chunksize=1', run: () => timeCommand('python3', [pool, 'imap1', String(n), String(cores)]) });
    contenders.push({ name: 'python Pool.map (default chunks)', run: () => timeCommand('python3', [pool, 'map', String(n), String(cores)]) });
  } else console.log('modules: python3 not found; skipping the Python contenders');

  const times = await interleavedRounds(contenders, rounds);
  const results = {};
  for (const [name, ms] of times) results[name] = { ms: summary(ms), tasksPerSec: summary(ms.map((x) => n / (x / 1000))) };
  const med = (name) => results[name]?.tasksPerSec.median;
  const ratios = { 'corral module': { vsImapChunk1: med('python imap_unordered chunksize=1') ? med('corral module') / med('python imap_unordered chunksize=1') : null, vsPoolMap: med('python Pool.map (default chunks)') ? med('corral module') / med('python Pool.map (default chunks)') : null } };
  const rows = [['contender', 'tasks/s median', 'min–max', 'corral ×']];
  for (const [name, r] of Object.entries(results)) rows.push([name, fmt(r.tasksPerSec.median), `${fmt(r.tasksPerSec.min)}–${fmt(r.tasksPerSec.max)}`, fmt(med('corral module') / r.tasksPerSec.median)]);
  printTable(`Module tasks: ${n} × trivial function, ${cores} workers, ${rounds} round(s) (wall time includes start-up)`, rows);
  const file = writeResult('modules', { params: { n, workers: cores, rounds }, results, ratios, targets: { vsImapChunk1: 2 } });
  return { file, results, ratios };
}
