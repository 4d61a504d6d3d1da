// Benchmark helper (memory, part "arena"): N ended tasks' output tails and results kept in the
// bundled EndedOutputs and ResultStore, as a no-op module run keeps them ("=> <value>\n" and a
// number), a full GC at 10 marks: one JSON line per mark (live heap, external memory, RSS).
// Run with --expose-gc: node --expose-gc arena.mjs <bundle.cjs> <n>
import { createRequire } from 'node:module';

const [bundle, nArg] = process.argv.slice(2);
const { EndedOutputs, ResultStore, TaskRecord } = createRequire(import.meta.url)(bundle);
const n = Number(nArg);
const outputs = new EndedOutputs();
const results = new ResultStore();
const MB = 2 ** 20;
const t0 = performance.now();
let cpu0 = process.cpuUsage();
for (let seq = 1; seq <= n; seq++) {
  const t = new TaskRecord(seq, String(seq), 'module');
  t.output.push(Buffer.from(`=> ${seq * 2}\n`));
  outputs.retain(t);
  results.keep(seq, seq * 2, String(seq * 2).length);
  if (seq % (n / 10) === 0) {
    const cpu = process.cpuUsage(cpu0);
    globalThis.gc();
    const m = process.memoryUsage();
    const line = { kept: seq, liveMB: m.heapUsed / MB, externalMB: m.external / MB, arrayBuffersMB: m.arrayBuffers / MB, rssMB: m.rss / MB, usPerTask: (cpu.user + cpu.system) / (n / 10), tails: outputs.size, results: results.size, s: (performance.now() - t0) / 1000 };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    cpu0 = process.cpuUsage();
  }
}
