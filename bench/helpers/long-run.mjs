// Child of bench/memory.mjs: runs one job in a fresh in-process supervisor (the bundled core) and
// prints a JSON line at each mark of ended tasks: live heap after a full GC (what ended tasks
// cost), RSS, V8's young generation (it grows with allocation rate, not with the job), tasks/s.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';

const [bundle, nArg, kind, modulePath] = process.argv.slice(2);
const n = Number(nArg);
const { createSupervisor } = await import(bundle);
const dir = mkdtempSync(join(tmpdir(), 'corral-bench-long-'));
const file = join(dir, 'job.yaml');
const what = kind === 'module' ? `module: ${JSON.stringify(modulePath)}` : 'command: echo {}';
writeFileSync(file, `name: long-${n}\n${what}\nconcurrency: 4\ninputs:\n  range: { from: 1, to: ${n} }\n`);
const sup = createSupervisor({ stateDir: join(dir, 'state'), joblog: join(dir, 'joblog.tsv'), orphanGuard: true });
const loaded = await sup.call('loadJob', { path: file });
if (!loaded.ok) throw new Error(loaded.error.message);
const step = Math.max(100, Math.floor(n / 15));
const marks = [];
for (let m = step; m < n; m += step) marks.push(m);
marks.push(n);
let next = 0;
let last = { ended: 0, t: performance.now() };
const t0 = performance.now();
const ended = () => {
  const c = sup.run.info().counts;
  return c.done + c.failed + c.killed + c.interrupted;
};
const probe = () => {
  const e = ended();
  if (next >= marks.length || e < marks[next]) return;
  const now = performance.now();
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
  console.log(JSON.stringify({ ended: e, s: (now - t0) / 1000, tasksPerSec: (e - last.ended) / ((now - last.t) / 1000), liveMB: (m.heapUsed + m.arrayBuffers) / 2 ** 20, rssMB: m.rss / 2 ** 20, youngMB: young / 2 ** 20 }));
  last = { ended: e, t: performance.now() }; // the GC's own time is not the supervisor's
  while (next < marks.length && e >= marks[next]) next++;
};
const timer = setInterval(probe, 50);
const started = await sup.call('startJob', {});
if (!started.ok) throw new Error(started.error.message);
await sup.finished();
probe();
clearInterval(timer);
await sup.close();
rmSync(dir, { recursive: true, force: true });
