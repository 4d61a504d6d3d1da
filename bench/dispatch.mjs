// Benchmark 1: dispatch of trivial commands (`true`, concurrency = cores).
// Corral (argv command and shell command) vs a bare Node spawn loop (stdio ignored, and with the
// process group and output pipes any supervisor needs) vs GNU parallel vs xargs -P.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corralBin, cores, fmt, have, printTable, interleavedRounds, scratch, summary, timeCommand, writeResult, root } from './lib/common.mjs';

export async function dispatchBench({ quick = false } = {}) {
  const n = Number(process.env.BENCH_DISPATCH_N || (quick ? 40 : 2000));
  const rounds = Number(process.env.BENCH_DISPATCH_ROUNDS || (quick ? 1 : 3));
  const dir = scratch('dispatch');
  const state = join(dir, 'state');
  const job = (name, command) => {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, `name: ${name}\ncommand: ${JSON.stringify(command)}\ninputs: {range: {from: 1, to: ${n}}}\nconcurrency: ${cores}\n`);
    return file;
  };
  const argvJob = job('dispatch-argv', ['true']);
  const shJob = job('dispatch-sh', 'true');
  const seq = Array.from({ length: n }, (_, i) => i + 1).join('\n') + '\n';
  const env = { CORRAL_STATE_DIR: state };

  const contenders = [
    { name: 'corral (argv)', run: () => timeCommand(process.execPath, [corralBin, 'run', argvJob, '--jobs', String(cores)], { env, cwd: dir }) },
    { name: 'corral (sh)', run: () => timeCommand(process.execPath, [corralBin, 'run', shJob, '--jobs', String(cores)], { env, cwd: dir }) },
    { name: 'bare node spawn', run: () => timeCommand(process.execPath, [join(root, 'bench/helpers/bare-spawn.mjs'), String(n), String(cores)]) },
    { name: 'bare spawn + capture', run: () => timeCommand(process.execPath, [join(root, 'bench/helpers/bare-spawn.mjs'), String(n), String(cores), 'capture']) },
    { name: 'xargs -P', run: () => timeCommand('xargs', ['-P', String(cores), '-n', '1', 'true'], { input: seq }) },
  ];
  if (have('parallel')) contenders.push({ name: 'GNU parallel', run: () => timeCommand('parallel', ['-j', String(cores), 'true'], { input: seq }) });
  else console.log('dispatch: GNU parallel not found; skipping it');

  const times = await interleavedRounds(contenders, rounds);
  const rate = (ms) => n / (ms / 1000);
  const results = {};
  for (const [name, ms] of times) results[name] = { ms: summary(ms), tasksPerSec: summary(ms.map(rate)) };
  const med = (name) => results[name]?.tasksPerSec.median;
  const ratios = {};
  for (const c of ['corral (argv)', 'corral (sh)']) {
    ratios[c] = { vsBare: med(c) / med('bare node spawn'), vsBareCaptured: med(c) / med('bare spawn + capture'), vsXargs: med(c) / med('xargs -P'), vsParallel: results['GNU parallel'] ? med(c) / med('GNU parallel') : null };
  }
  const rows = [['contender', 'tasks/s median', 'min–max', '× bare', '× bare+capture', '× parallel', '× xargs']];
  for (const [name, r] of Object.entries(results)) {
    const t = r.tasksPerSec;
    rows.push([name, fmt(t.median), `${fmt(t.min)}–${fmt(t.max)}`, fmt(t.median / med('bare node spawn')), fmt(t.median / med('bare spawn + capture')), results['GNU parallel'] ? fmt(t.median / med('GNU parallel')) : '-', fmt(t.median / med('xargs -P'))]);
  }
  printTable(`Dispatch: ${n} × true, concurrency ${cores}, ${rounds} round(s) (wall time includes each tool's start-up)`, rows);
  const file = writeResult('dispatch', { params: { n, concurrency: cores, rounds }, results, ratios, targets: { vsBare: 0.9, vsParallel: 2.5 } });
  return { file, results, ratios };
}
