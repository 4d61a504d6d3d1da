// Child of bench/memory.mjs: loads one range job of N inputs in a fresh supervisor (the bundled
// core) and prints JSON: load time, heap and RSS growth, and how long the dashboard's calls take.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [bundle, nArg] = process.argv.slice(2);
const n = Number(nArg);
const { createSupervisor } = await import(bundle);
const dir = mkdtempSync(join(tmpdir(), 'corral-bench-load-'));
const file = join(dir, 'job.yaml');
writeFileSync(file, `name: load-${n}\ncommand: "true"\ninputs:\n  range: { from: 1, to: ${n} }\n`);
const mem = () => {
  globalThis.gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed + m.arrayBuffers, rss: m.rss };
};
const sup = createSupervisor({ stateDir: join(dir, 'state'), joblog: null, orphanGuard: false });
const before = mem();
const timed = async (method, args) => {
  const t0 = performance.now();
  const r = await sup.call(method, args);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return { ms: performance.now() - t0, value: r.value };
};
const load = await timed('loadJob', { path: file });
const after = mem();
const snap = await timed('getSnapshot', {});
const lastPage = await timed('getTasks', { offset: Math.max(0, n - 100), limit: 100 });
const byState = await timed('getTasks', { offset: 0, limit: 100, sort: 'state', desc: true });
const byStateAgain = await timed('getTasks', { offset: 100, limit: 100, sort: 'state', desc: true });
const peak = mem();
console.log(
  JSON.stringify({
    n,
    loadMs: load.ms,
    heapGrowthMB: (after.heap - before.heap) / 2 ** 20,
    rssMB: after.rss / 2 ** 20,
    peakRssMB: peak.rss / 2 ** 20,
    snapshotMs: snap.ms,
    snapshotTasks: snap.value.tasks.length,
    lastPageMs: lastPage.ms,
    sortedFirstPageMs: byState.ms,
    sortedNextPageMs: byStateAgain.ms,
  }),
);
await sup.close();
rmSync(dir, { recursive: true, force: true });
