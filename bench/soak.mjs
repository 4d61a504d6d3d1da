// Benchmark 5: dashboard soak, two ways.
// 1. Accelerated (the target): the real renderer on its in-browser simulator
//    (`?mock=soak`), 1800 ticks of 64 slots — 30 minutes of 1 Hz tick volume — one tick per
//    BENCH_SOAK_INTERVAL ms (default 50). Long tasks over all of it; heap at tick 300 ("5 min")
//    and at the end, each after a forced GC with the simulator paused.
// 2. Real server: `corral serve` runs a 64-slot job of sleeping tasks with the fastest tick
//    (250 ms) while headless Chromium shows the dashboard; default 400 ticks (100 s real),
//    BENCH_SOAK_TICKS=7200 is 30 real minutes. Also counts WebSocket messages per tick.
// BENCH_SOAK_MODE=accelerated|serve|both (default both).
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { corralBin, fmt, printTable, root, scratch, writeResult } from './lib/common.mjs';

const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function percentile(xs, p) {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

/** Why the soak cannot run here, or null when it can. */
export function soakSkipReason() {
  if (!existsSync(join(root, 'out/cli/corral.cjs'))) return 'the CLI is not built (node scripts/build.mjs cli)';
  if (!existsSync(join(root, 'main/cli/serve.ts'))) return '`corral serve` does not exist yet';
  if (!existsSync(join(root, 'out/renderer/index.html'))) return 'the dashboard is not built (out/renderer/index.html missing; run node scripts/build.mjs renderer)';
  const chromium = process.env.CORRAL_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) return `no Chromium at ${chromium} (set CORRAL_CHROMIUM)`;
  return null;
}

function startServe(jobFile, stateDir) {
  const proc = spawn(process.execPath, [corralBin, 'serve', jobFile, '--jobs', '64', '--port', '0'], { cwd: root, env: { ...process.env, CORRAL_STATE_DIR: stateDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench: corral serve printed no URL in 30 s; stderr: ${err}`)), 30_000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /dashboard at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.once('exit', (code) => reject(new Error(`bench: corral serve exited ${code}: ${err}`)));
  });
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGINT');
    const t = setTimeout(() => proc.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(t);
  };
  return { url, stop };
}

/** A second WebSocket client: sets the tick to 250 ms and counts ticks. */
async function controlClient(url) {
  const { WebSocket } = await import('ws');
  const u = new URL(url);
  const token = new URLSearchParams(u.hash.slice(1)).get('token');
  const ws = new WebSocket(`ws://${u.host}/ws`, ['corral.v1', `corral.token.${token}`], { origin: u.origin });
  await new Promise((res, rej) => (ws.once('open', res), ws.once('error', rej)));
  const state = { ticks: 0, lastN: 0, waiters: [] };
  let id = 0;
  const pending = new Map();
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data));
    if (frame.event === 'tick') {
      state.ticks++;
      state.lastN = frame.payload.n;
      state.waiters = state.waiters.filter((w) => (state.ticks >= w.at ? (w.resolve(), false) : true));
    } else if (frame.id && pending.has(frame.id)) pending.get(frame.id)(frame.result);
  });
  const call = (method, args) => new Promise((resolve) => (pending.set(++id, resolve), ws.send(JSON.stringify({ id, method, args }))));
  const r = await call('setSettings', { tickMs: 250 });
  if (!r.ok) throw new Error(`bench: setSettings failed: ${r.error.message}`);
  return { state, untilTicks: (at) => new Promise((resolve) => (state.ticks >= at ? resolve() : state.waiters.push({ at, resolve }))), close: () => ws.close() };
}

export async function soakBench({ quick = false } = {}) {
  const reason = soakSkipReason();
  if (reason) {
    console.log(`soak: skipped — ${reason}`);
    const file = writeResult('soak', { skipped: true, reason });
    return { file, skipped: true };
  }
  const mode = process.env.BENCH_SOAK_MODE || 'both';
  const out = { skipped: false };
  if (mode === 'accelerated' || mode === 'both') Object.assign(out, await acceleratedSoak({ quick }));
  if (mode === 'serve' || mode === 'both') Object.assign(out, await serveSoak({ quick }));
  const file = writeResult('soak', out);
  return { file, results: out.results, accelerated: out.accelerated };
}

/** Long-task statistics; `ticks` lets p99 count the ticks that had none (they were under 50 ms). */
export function longTaskStats(durations, ticks = 0) {
  const perTick = ticks > durations.length ? [...durations, ...new Array(ticks - durations.length).fill(0)] : durations;
  return {
    count: durations.length,
    p50: percentile(durations, 50),
    p99: percentile(durations, 99),
    max: Math.max(0, ...durations),
    sum: durations.reduce((a, b) => a + b, 0),
    perTickP99: percentile(perTick, 99),
  };
}

export async function launch() {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: process.env.CORRAL_CHROMIUM ?? '/usr/bin/chromium', args: chromiumArgs });
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await page.addInitScript(() => {
    window.__longtasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longtasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  // The forced GC runs on the page's main thread and shows up as a long task of its own: the
  // measurement's, not the dashboard's, so long tasks that start inside it are left out.
  const gcWindows = [];
  let excluded = 0;
  const heap = async () => {
    const from = await page.evaluate(() => performance.now());
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const to = await page.evaluate(() => performance.now());
    gcWindows.push([from, to]);
    return metrics.find((m) => m.name === 'JSHeapUsedSize').value;
  };
  const takeLongTasks = async () => {
    await page.waitForTimeout(100); // observer callbacks are delivered asynchronously
    const entries = await page.evaluate(() => window.__longtasks.splice(0));
    const kept = entries.filter(([start]) => !gcWindows.some(([a, b]) => start >= a - 1 && start <= b + 1));
    excluded += entries.length - kept.length;
    return kept.map(([, d]) => d);
  };
  // CPU seconds of the renderer processes (SystemInfo.getProcessInfo): steadier than long tasks
  // on a loaded machine, where a frame's wall time includes waiting for a core.
  const browserCdp = await browser.newBrowserCDPSession();
  // All of Chromium's too: a synchronous call from the page (e.g. Notification.permission) blocks
  // the renderer while the browser process does the work.
  const cpuTimes = async () => {
    const { processInfo } = await browserCdp.send('SystemInfo.getProcessInfo');
    const sum = (list) => list.reduce((n, p) => n + p.cpuTime, 0);
    return { renderer: sum(processInfo.filter((p) => p.type === 'renderer')), all: sum(processInfo) };
  };
  return { browser, page, cdp, heap, takeLongTasks, cpuTimes, excludedLongTasks: () => excluded };
}

/**
 * The dashboard built with the ?mock simulator (the shipped build leaves it out, issue 14), in
 * out/renderer-mock: the soak feeds the real renderer from the simulator. `from`: another
 * checkout's renderer (to compare); `minify: false` keeps function names for a CPU profile.
 */
export async function mockRenderer({ from = root, outDir = join(root, 'out/renderer-mock'), minify = true } = {}) {
  const { build } = await import('vite');
  const was = process.env.CORRAL_RENDERER_MOCK;
  process.env.CORRAL_RENDERER_MOCK = '1'; // read by renderer/vite.config.mts as it loads
  try {
    await build({ configFile: join(from, 'renderer/vite.config.mts'), logLevel: 'warn', build: { outDir, emptyOutDir: true, minify } });
  } finally {
    if (was === undefined) delete process.env.CORRAL_RENDERER_MOCK;
    else process.env.CORRAL_RENDERER_MOCK = was;
  }
  return outDir;
}

/** Serves the mock-enabled dashboard (BENCH_SOAK_RENDERER_DIR: another build, to compare) on a free loopback port. */
export async function staticServer(dir = process.env.BENCH_SOAK_RENDERER_DIR) {
  dir ||= await mockRenderer();
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png' };
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dir) || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) };
}

/** The target, accelerated: 64 slots, 1800 ticks of 1 Hz volume, through the real renderer. */
async function acceleratedSoak({ quick }) {
  const ticks = quick ? 40 : Number(process.env.BENCH_SOAK_ACCEL_TICKS || 1800);
  const at5min = quick ? 20 : Math.min(ticks, 300);
  const warm = quick ? 5 : 20;
  const interval = Number(process.env.BENCH_SOAK_INTERVAL || 50);
  const slots = 64;
  const server = await staticServer();
  const b = await launch();
  try {
    const { page } = b;
    await page.goto(`${server.url}?mock=soak&slots=${slots}&ticks=${ticks}&interval=${interval}&tasks=30000`);
    const n = () => page.evaluate(() => window.__corralSoak?.n ?? 0);
    const until = (at) => page.waitForFunction((k) => (window.__corralSoak?.n ?? 0) >= k, at, { timeout: 0, polling: 100 });
    const paused = async (fn) => {
      await page.evaluate(() => (window.__corralSoak.paused = true));
      try {
        return await fn();
      } finally {
        await page.evaluate(() => (window.__corralSoak.paused = false));
      }
    };
    const t0 = Date.now();
    await until(warm);
    // CPU is read before the forced GC and after it, so the GC's CPU is left out as its long task is.
    const point = async () => {
      const cpu = await b.cpuTimes();
      return { n: await n(), cpu, heap: await b.heap(), longtasks: await b.takeLongTasks(), cpuAfter: await b.cpuTimes() };
    };
    const base = await paused(point);
    await until(at5min);
    const mid = await paused(point);
    await until(ticks);
    await page.waitForFunction(() => window.__corralSoak?.done, null, { timeout: 0, polling: 100 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 200)))); // the last frame
    const end = await point();
    const cpuMsPerTick = (a, z, k) => (1000 * (z.cpu[k] - a.cpuAfter[k])) / Math.max(1, z.n - a.n);
    const seconds = (Date.now() - t0) / 1000;
    const measured = [...mid.longtasks, ...end.longtasks];
    const dom = await page.evaluate(() => ({ elements: document.getElementsByTagName('*').length, bars: document.querySelectorAll('[data-seq]').length }));
    const accelerated = {
      params: { slots, ticks, intervalMs: interval, at5minTicks: at5min, warmupTicks: warm, tasks: 30000, job: 'simulated 1..8 s tasks', realSeconds: seconds },
      heapBytes: { afterWarmup: base.heap, at5min: mid.heap, atEnd: end.heap },
      heapRatioEndTo5min: end.heap / mid.heap,
      longtasks: {
        warmup: longTaskStats(base.longtasks),
        first5min: longTaskStats(mid.longtasks, at5min - warm),
        after5min: longTaskStats(end.longtasks, ticks - at5min),
        measured: longTaskStats(measured, ticks - warm),
      },
      longTasksDuringForcedGc: b.excludedLongTasks(),
      rendererCpuMsPerTick: { first5min: cpuMsPerTick(base, mid, 'renderer'), after5min: cpuMsPerTick(mid, end, 'renderer') },
      chromiumCpuMsPerTick: { first5min: cpuMsPerTick(base, mid, 'all'), after5min: cpuMsPerTick(mid, end, 'all') },
      messagesPerTick: 1, // the simulator calls onTick once per tick; the transport is measured in the serve mode
      dom,
    };
    const mb = (x) => fmt(x / 1048576);
    const lt = accelerated.longtasks;
    printTable(`Dashboard soak, accelerated: real renderer on the simulator, ${slots} slots, ${ticks} ticks (= ${fmt(ticks / 60)} min at 1 Hz) in ${fmt(seconds, 0)} s, headless Chromium`, [
      ['interval', 'ticks', 'JS heap MiB (after GC)', 'long tasks', 'p50 ms', 'p99 ms', 'max ms', 'per-tick p99 ms'],
      ['warm-up', `0–${warm}`, mb(base.heap), lt.warmup.count, fmt(lt.warmup.p50), fmt(lt.warmup.p99), fmt(lt.warmup.max), ''],
      ['to "5 minutes"', `${warm}–${at5min}`, mb(mid.heap), lt.first5min.count, fmt(lt.first5min.p50), fmt(lt.first5min.p99), fmt(lt.first5min.max), fmt(lt.first5min.perTickP99)],
      ['to the end', `${at5min}–${ticks}`, mb(end.heap), lt.after5min.count, fmt(lt.after5min.p50), fmt(lt.after5min.p99), fmt(lt.after5min.max), fmt(lt.after5min.perTickP99)],
    ]);
    const cpuLine = (c) => `${fmt(c.first5min)} ms to "5 minutes", ${fmt(c.after5min)} ms after`;
    console.log(`soak: CPU per tick: renderer ${cpuLine(accelerated.rendererCpuMsPerTick)} (the simulator's included); all of Chromium ${cpuLine(accelerated.chromiumCpuMsPerTick)}`);
    console.log(`soak: heap end / "5 min" = ${fmt(accelerated.heapRatioEndTo5min)}; ${dom.bars} task-stream bars, ${dom.elements} elements at the end; ${b.excludedLongTasks()} long tasks were the forced GCs (left out)`);
    return { accelerated };
  } finally {
    await b.browser.close();
    await server.close();
  }
}

async function serveSoak({ quick }) {
  const ticks = quick ? 12 : Number(process.env.BENCH_SOAK_TICKS || 400);
  const at5min = quick ? 6 : Math.min(ticks, 300); // 300 ticks = the volume of 5 minutes at 1 Hz
  const dir = scratch('soak');
  const durations = Array.from({ length: 20000 }, (_, i) => 1 + ((i * 7919) % 8)); // 1..8 s, fixed
  writeFileSync(join(dir, 'durations.txt'), durations.join('\n') + '\n');
  const jobFile = join(dir, 'soak.yaml');
  writeFileSync(jobFile, `name: soak\ncommand: [sleep, "{}"]\ninputs: {file: ${JSON.stringify(join(dir, 'durations.txt'))}}\nconcurrency: 64\n`);
  const server = startServe(jobFile, join(dir, 'state'));
  let b;
  let control;
  try {
    const url = await server.url;
    control = await controlClient(url);
    b = await launch();
    const { page, cdp, heap, takeLongTasks } = b;
    // Count what the page's WebSocket receives: the target is one message per tick.
    const frames = { all: 0, ticks: 0 };
    await cdp.send('Network.enable');
    cdp.on('Network.webSocketFrameReceived', (e) => {
      frames.all++;
      if (e.response.payloadData.includes('"event":"tick"')) frames.ticks++;
    });
    await page.goto(url);
    // Measure a dashboard that shows the job, not a login or error page.
    await page.waitForFunction(() => document.body.innerText.includes('soak'), null, { timeout: 60_000 }).catch(async () => {
      throw new Error(`bench: the dashboard never showed the job; page text: ${(await page.evaluate(() => document.body.innerText)).slice(0, 300)}`);
    });
    const t0 = control.state.ticks;
    const warm = quick ? 3 : 20;
    await control.untilTicks(t0 + warm);
    const base = { ticks: warm, heap: await heap(), longtasks: await takeLongTasks() };
    const frames0 = { ...frames, ticks0: control.state.ticks };
    await control.untilTicks(t0 + at5min);
    const mid = { ticks: at5min, heap: await heap(), longtasks: await takeLongTasks() };
    await control.untilTicks(t0 + ticks);
    const end = { ticks, heap: await heap(), longtasks: await takeLongTasks() };
    const ticksSeen = control.state.ticks - frames0.ticks0;
    const messages = { ticks: ticksSeen, framesReceived: frames.all - frames0.all, tickFrames: frames.ticks - frames0.ticks, perTick: (frames.all - frames0.all) / Math.max(1, ticksSeen) };
    const window5 = [...base.longtasks, ...mid.longtasks];
    const all = [...window5, ...end.longtasks];
    const results = {
      ticks,
      tickMs: 250,
      equivalentMinutesAt1Hz: ticks / 60,
      heapBytes: { afterWarmup: base.heap, at5min: mid.heap, atEnd: end.heap },
      heapGrowthBytes: { warmupTo5min: mid.heap - base.heap, fiveMinToEnd: end.heap - mid.heap },
      longtasks: {
        first5min: longTaskStats(window5, at5min),
        after5min: longTaskStats(end.longtasks, ticks - at5min),
        all: longTaskStats(all, ticks),
      },
      messages,
      longTasksDuringForcedGc: b.excludedLongTasks(),
    };
    const mb = (b) => fmt(b / 1048576);
    printTable(`Dashboard soak: 64 slots of sleeping tasks, ${ticks} ticks at 250 ms (= ${fmt(ticks / 60)} min of 1 Hz ticks), headless Chromium`, [
      ['point', 'ticks', 'JS heap MiB (after GC)', 'long tasks', 'p50 ms', 'p99 ms', 'max ms', 'per-tick p99 ms'],
      ['after warm-up', warm, mb(base.heap), '', '', '', '', ''],
      ...[['"5 minutes"', at5min, mid.heap, results.longtasks.first5min], ['end', ticks, end.heap, results.longtasks.after5min]].map(([label, n, h, l]) => [
        label, n, mb(h), l.count, fmt(l.p50), fmt(l.p99), fmt(l.max), fmt(l.perTickP99),
      ]),
    ]);
    console.log(`soak: heap end / "5 min" = ${fmt(end.heap / mid.heap)}; ${b.excludedLongTasks()} long tasks were the forced GCs (left out)`);
    console.log(`soak: ${fmt(messages.perTick)} WebSocket messages per tick (${messages.framesReceived} messages, ${messages.tickFrames} of them ticks, over ${messages.ticks} ticks)`);
    return { params: { slots: 64, ticks, tickMs: 250, at5minTicks: at5min, job: 'sleep 1..8 s' }, results };
  } finally {
    control?.close();
    await b?.browser.close();
    await server.stop();
  }
}
