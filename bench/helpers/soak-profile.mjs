// A CPU profile of the dashboard on the accelerated soak's simulator, over a stretch of ticks:
// where a tick's time goes. Builds the mock renderer unminified (function names kept) from this
// checkout, or from another one given as --from DIR (e.g. main's, from `git archive`).
// --trace: a Chromium trace instead (style, layout, paint too), summarised inside long tasks.
// Usage: node bench/helpers/soak-profile.mjs [--from DIR] [--at 600] [--ticks 40] [--out FILE] [--trace]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { root } from '../lib/common.mjs';
import { launch, mockRenderer, staticServer } from '../soak.mjs';

const { values: o } = parseArgs({ options: { from: { type: 'string' }, at: { type: 'string', default: '600' }, ticks: { type: 'string', default: '40' }, out: { type: 'string' }, trace: { type: 'boolean', default: false }, total: { type: 'string', default: '1800' } } });
const at = Number(o.at);
const span = Number(o.ticks);
const from = o.from ?? root;
const outDir = join(from, 'out/renderer-mock-profile');
await mockRenderer({ from, outDir, minify: false });
const server = await staticServer(outDir);
const b = await launch();
try {
  const { page, cdp } = b;
  await page.goto(`${server.url}?mock=soak&slots=64&ticks=${o.total}&interval=50&tasks=30000`);
  const until = (k) => page.waitForFunction((n) => (window.__corralSoak?.n ?? 0) >= n, k, { timeout: 0, polling: 20 });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await until(at);
  await b.takeLongTasks();
  if (o.trace) {
    await b.browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing'] });
    await until(at + span);
    const trace = JSON.parse(String(await b.browser.stopTracing()));
    const long = await b.takeLongTasks();
    summariseTrace(trace.traceEvents ?? trace, span, long);
    process.exit(0);
  }
  await cdp.send('Profiler.start');
  const t0 = Date.now();
  await until(at + span);
  const { profile } = await cdp.send('Profiler.stop');
  const seconds = (Date.now() - t0) / 1000;
  const long = await b.takeLongTasks();
  const file = o.out ?? join(root, `bench/results/soak-profile-${Date.now()}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  let busy = 0;
  const idle = new Set(profile.nodes.filter((n) => ['(idle)', '(program)', '(garbage collector)'].includes(n.callFrame.functionName) && n.callFrame.functionName === '(idle)').map((n) => n.id));
  profile.samples.forEach((id, i) => idle.has(id) || (busy += profile.timeDeltas[i] ?? 0));
  console.log(`soak-profile: ticks ${at}–${at + span} in ${seconds.toFixed(1)} s; main thread busy ${(busy / 1000).toFixed(0)} ms = ${(busy / 1000 / span).toFixed(1)} ms per tick; long tasks ${long.length} (${long.map((d) => d.toFixed(0)).join(', ')} ms)`);
  console.log(`soak-profile: ${file} (summary: node bench/helpers/profile-summary.mjs ${file})`);
} finally {
  await b.browser.close();
  await server.close();
}

/** Time by trace event name on the renderer's main thread: all tasks, and tasks over 50 ms. */
function summariseTrace(events, ticks, long) {
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const mine = events.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
  const tasks = mine.filter((e) => e.name === 'RunTask');
  const longTasks = tasks.filter((t) => t.dur > 50_000);
  const inside = (e, list) => list.some((t) => e.ts >= t.ts && e.ts < t.ts + t.dur);
  const sum = (list) => {
    const m = new Map();
    for (const e of list) if (e.name !== 'RunTask') m.set(e.name, (m.get(e.name) ?? 0) + (e.dur ?? 0));
    return [...m].sort((a, b) => b[1] - a[1]).slice(0, 14).map(([k, us]) => `${k} ${(us / 1000).toFixed(0)}`).join(', ');
  };
  const busy = tasks.reduce((n, t) => n + t.dur, 0) / 1000;
  console.log(`soak-trace: ${ticks} ticks, main thread tasks ${busy.toFixed(0)} ms (${(busy / ticks).toFixed(1)} per tick); long tasks by observer ${long.length}, tasks > 50 ms in the trace ${longTasks.length}: ${longTasks.map((t) => (t.dur / 1000).toFixed(0)).join(', ')}`);
  console.log(`soak-trace: all (ms, nested events overlap): ${sum(mine)}`);
  console.log(`soak-trace: inside tasks > 50 ms: ${sum(mine.filter((e) => inside(e, longTasks)))}`);
}
