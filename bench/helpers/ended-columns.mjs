// The ended columns a long `true` run would hold: N rows like its own (starts `gapMs` apart on 4
// slots, pids climbing, a few ms each, exit 0) put into EndedTasks; prints {n, bytes} as JSON.
// argv: <bundle of main/core/pool/endedTasks.ts> <n> <gapMs>
import { createRequire } from 'node:module';

const [bundle, nArg, gapArg] = process.argv.slice(2);
const { EndedTasks } = createRequire(import.meta.url)(bundle);
const n = Number(nArg);
const gap = Number(gapArg);
const e = new EndedTasks();
const t0 = Date.now();
let pid = 100_000;
for (let seq = 1; seq <= n; seq++) {
  const start = Math.round(t0 + seq * gap);
  const run = 2 + (seq % 5);
  pid += 2 + (seq % 3); // a fork or two between tasks
  if (pid > 4_000_000) pid = 300; // pid_max wraps
  e.put({
    seq, input: '', command: '', state: 'done', outcome: 'ok', slot: (seq % 4) + 1, attempt: 1, pid, pids: [], startedAt: start, endedAt: start + run,
    exitCode: 0, signal: null, error: null, cpuPercent: null, rss: null, peakRss: null, cpuSeconds: null, memoryScope: 'tree', rssAtStart: null,
    runtimeMs: run, progress: null, stuck: null, stopping: null, lastActivityAt: null,
  });
}
console.log(JSON.stringify({ n, bytes: e.bytes }));
