// Benchmark: inputs piped on stdin (issue 10), `seq N | corral run -j4 true` beside
// `seq N | parallel -j4 true`. Corral's peak RSS (GNU time's %M of the CLI process), the time
// from the start of the pipeline to the first task's start (the joblog's first Starttime), wall
// time and tasks/s. Sizes from BENCH_STDIN_SIZES (default 10000,100000); --quick uses 200.
// Corral streams stdin (main/core/inputs/streamSource.ts): a line is dispatched as it arrives.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corralBin, fmt, have, printTable, scratch, writeResult } from './lib/common.mjs';

function runPipeline(script, cwd) {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn('bash', ['-c', script], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve({ t0, ms: Date.now() - t0 }) : reject(new Error(`bench: ${script} exited ${code}: ${err.slice(-500)}`))));
  });
}

/** First Starttime in a GNU-parallel-style joblog (epoch seconds with decimals), in ms. */
function firstStart(joblog) {
  let min = Infinity;
  for (const line of readFileSync(joblog, 'utf8').split('\n').slice(1)) {
    const start = Number(line.split('\t')[2]);
    if (line && start < min) min = start;
  }
  return min * 1000;
}

export async function stdinBench({ quick = false } = {}) {
  const sizes = quick ? [200] : (process.env.BENCH_STDIN_SIZES ?? '10000,100000').split(',').map(Number);
  const peer = have('parallel');
  if (!peer) console.log('stdin: GNU parallel not found; Corral alone');
  if (!have('/usr/bin/time')) throw new Error('stdin: needs GNU time (/usr/bin/time) for the peak RSS');
  const rows = [['inputs', 'corral s', 'parallel s', 'ratio', 'first dispatch (corral)', 'first dispatch (parallel)', 'corral peak RSS', 'corral tasks/s']];
  const results = [];
  for (const n of sizes) {
    const dir = scratch(`stdin-${n}`);
    const c = await runPipeline(
      `seq ${n} | CORRAL_STATE_DIR=${dir}/state /usr/bin/time -f %M -o ${dir}/rss ${JSON.stringify(process.execPath)} ${JSON.stringify(corralBin)} run -j4 --joblog ${dir}/corral.tsv true`,
      dir,
    );
    const rssKiB = Number(readFileSync(join(dir, 'rss'), 'utf8').trim().split('\n').at(-1));
    const r = { n, corralMs: c.ms, corralFirstMs: firstStart(join(dir, 'corral.tsv')) - c.t0, corralPeakRssBytes: rssKiB * 1024, parallelMs: null, parallelFirstMs: null };
    if (peer) {
      const p = await runPipeline(`seq ${n} | parallel --will-cite -j4 --joblog ${dir}/parallel.tsv true`, dir);
      r.parallelMs = p.ms;
      r.parallelFirstMs = firstStart(join(dir, 'parallel.tsv')) - p.t0;
    }
    results.push(r);
    rows.push([
      n, fmt(r.corralMs / 1000), r.parallelMs === null ? '—' : fmt(r.parallelMs / 1000), r.parallelMs === null ? '—' : fmt(r.corralMs / r.parallelMs),
      `${fmt(r.corralFirstMs, 0)} ms`, r.parallelFirstMs === null ? '—' : `${fmt(r.parallelFirstMs, 0)} ms`, `${fmt(r.corralPeakRssBytes / 2 ** 20, 0)} MiB`, fmt(n / (r.corralMs / 1000), 0),
    ]);
  }
  printTable('seq N | corral run -j4 true  vs  seq N | parallel -j4 true', rows);
  writeResult('stdin', { sizes, results });
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) await stdinBench({ quick: process.argv.includes('--quick') });
