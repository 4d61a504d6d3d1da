// Child of bench/dispatch.mjs (heap part): a fresh in-process supervisor (the bundled core) that
// first grows its heap by BALLAST MB of live objects, then runs N `true`; prints tasks/s and this
// process's CPU ms per task. Forks from a big heap cost more (page tables are copied); the spawn
// helper's should not. Usage: heap-dispatch.mjs BUNDLE BALLAST_MB helper|direct N
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helperOf, procStat } from './sampled-run.mjs';

const [bundle, ballastArg, mode, nArg] = process.argv.slice(2);
const n = Number(nArg);
// ~1 MB per entry of small objects, as a long-lived supervisor's records would be.
const ballast = Array.from({ length: Number(ballastArg) }, () => Array.from({ length: 16_384 }, (_, i) => ({ i })));
const { createSupervisor } = await import(bundle);
const dir = mkdtempSync(join(tmpdir(), 'corral-bench-heap-'));
const file = join(dir, 'job.yaml');
writeFileSync(file, `name: heap\ncommand: ["true"]\nconcurrency: 2\ninputs: {range: {from: 1, to: ${n}}}\n`);
const sup = createSupervisor({ stateDir: join(dir, 'state'), joblog: join(dir, 'joblog.tsv'), orphanGuard: true, spawn: mode });
const loaded = await sup.call('loadJob', { path: file });
if (!loaded.ok) throw new Error(loaded.error.message);
const rssMB = process.memoryUsage().rss / 2 ** 20;
const t0 = performance.now();
const c0 = process.cpuUsage();
const started = await sup.call('startJob', {});
if (!started.ok) throw new Error(started.error.message);
await sup.finished();
const ms = performance.now() - t0;
const c = process.cpuUsage(c0);
const helper = helperOf(process.pid);
const helperCpuMs = helper === null ? 0 : procStat(helper).cpuS * 1000; // it started with this job
await sup.close();
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({ mode, ballastMB: ballast.length, rssMB, tasksPerSec: n / (ms / 1000), cpuMsPerTask: (c.user + c.system) / 1000 / n, helperCpuMsPerTask: helperCpuMs / n }));
