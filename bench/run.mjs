// `npm run bench [-- NAME… --quick]`: runs the benchmarks against peers and prints their tables.
// Names: dispatch, modules, sampling, balance, soak, memory, python, stdin, broker (default: all). --quick or BENCH_QUICK=1
// uses tiny sizes (the smoke test). Results go to bench/results/ (or BENCH_RESULTS_DIR).
import { ensureCorralBuilt, machineInfo } from './lib/common.mjs';

const all = ['dispatch', 'modules', 'sampling', 'balance', 'soak', 'memory', 'python', 'stdin', 'broker'];
const args = process.argv.slice(2);
const quick = args.includes('--quick') || process.env.BENCH_QUICK === '1';
const names = args.filter((a) => !a.startsWith('--'));
const unknown = names.filter((n) => !all.includes(n));
if (unknown.length) {
  console.error(`bench: unknown benchmark ${unknown.join(', ')}; choose from ${all.join(', ')}`);
  process.exit(2);
}
const chosen = names.length ? names : all;

const load = {
  dispatch: async () => (await import('./dispatch.mjs')).dispatchBench,
  modules: async () => (await import('./modules.mjs')).modulesBench,
  sampling: async () => (await import('./sampling.mjs')).samplingBench,
  balance: async () => (await import('./balance.mjs')).balanceBench,
  soak: async () => (await import('./soak.mjs')).soakBench,
  memory: async () => (await import('./memory.mjs')).memoryBench,
  python: async () => (await import('./python.mjs')).pythonBench,
  stdin: async () => (await import('./stdin.mjs')).stdinBench,
  broker: async () => (await import('./broker.mjs')).brokerBench,
};

ensureCorralBuilt();
const m = machineInfo();
console.log(`bench: ${chosen.join(', ')}${quick ? ' (quick)' : ''} on ${m.cores} cores, ${m.cpu}, node ${m.node}, load ${m.loadavg.map((x) => x.toFixed(2)).join(' ')}`);
const t0 = performance.now();
let failed = false;
for (const name of chosen) {
  const started = performance.now();
  try {
    const bench = await load[name]();
    await bench({ quick });
  } catch (err) {
    failed = true;
    console.error(`bench: ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  console.log(`bench: ${name} took ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
console.log(`bench: all done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
process.exitCode = failed ? 1 : 0;
