// Benchmark 5: dashboard soak. `corral serve` runs a 64-slot job of sleeping tasks with the
// fastest tick (250 ms) while headless Chromium shows the dashboard; we record long tasks and
// JS heap. 30 real minutes do not fit the 10-minute budget, so the default is 400 ticks (100 s
// real, the tick volume of 6.7 minutes at 1 Hz); BENCH_SOAK_TICKS=7200 is the full 30 minutes
// of 1 Hz ticks (30 real minutes at 250 ms).
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
  const ticks = quick ? 12 : Number(process.env.BENCH_SOAK_TICKS || 400);
  const at5min = quick ? 6 : Math.min(ticks, 300); // 300 ticks = the volume of 5 minutes at 1 Hz
  const dir = scratch('soak');
  const durations = Array.from({ length: 20000 }, (_, i) => 1 + ((i * 7919) % 8)); // 1..8 s, fixed
  writeFileSync(join(dir, 'durations.txt'), durations.join('\n') + '\n');
  const jobFile = join(dir, 'soak.yaml');
  writeFileSync(jobFile, `name: soak\ncommand: [sleep, "{}"]\ninputs: {file: ${JSON.stringify(join(dir, 'durations.txt'))}}\nconcurrency: 64\n`);
  const { chromium } = await import('playwright-core');
  const server = startServe(jobFile, join(dir, 'state'));
  let browser;
  let control;
  try {
    const url = await server.url;
    control = await controlClient(url);
    browser = await chromium.launch({ executablePath: process.env.CORRAL_CHROMIUM ?? '/usr/bin/chromium', args: chromiumArgs });
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await page.addInitScript(() => {
      window.__longtasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longtasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'JSHeapUsedSize').value;
    };
    await page.goto(url);
    // Measure a dashboard that shows the job, not a login or error page.
    await page.waitForFunction(() => document.body.innerText.includes('soak'), null, { timeout: 60_000 }).catch(async () => {
      throw new Error(`bench: the dashboard never showed the job; page text: ${(await page.evaluate(() => document.body.innerText)).slice(0, 300)}`);
    });
    const t0 = control.state.ticks;
    const warm = quick ? 3 : 20;
    await control.untilTicks(t0 + warm);
    const base = { ticks: warm, heap: await heap(), longtasks: await page.evaluate(() => window.__longtasks.splice(0)) };
    await control.untilTicks(t0 + at5min);
    const mid = { ticks: at5min, heap: await heap(), longtasks: await page.evaluate(() => window.__longtasks.splice(0)) };
    await control.untilTicks(t0 + ticks);
    const end = { ticks, heap: await heap(), longtasks: await page.evaluate(() => window.__longtasks.splice(0)) };
    const window5 = [...base.longtasks, ...mid.longtasks];
    const all = [...window5, ...end.longtasks];
    const results = {
      ticks,
      tickMs: 250,
      equivalentMinutesAt1Hz: ticks / 60,
      heapBytes: { afterWarmup: base.heap, at5min: mid.heap, atEnd: end.heap },
      heapGrowthBytes: { warmupTo5min: mid.heap - base.heap, fiveMinToEnd: end.heap - mid.heap },
      longtasks: {
        first5min: { count: window5.length, p99: percentile(window5, 99), max: Math.max(0, ...window5) },
        after5min: { count: end.longtasks.length, p99: percentile(end.longtasks, 99), max: Math.max(0, ...end.longtasks) },
        all: { count: all.length, p99: percentile(all, 99), max: Math.max(0, ...all) },
      },
    };
    const mb = (b) => fmt(b / 1048576);
    printTable(`Dashboard soak: 64 slots of sleeping tasks, ${ticks} ticks at 250 ms (= ${fmt(ticks / 60)} min of 1 Hz ticks), headless Chromium`, [
      ['point', 'ticks', 'JS heap MiB (after GC)', 'long tasks', 'long-task p99 ms', 'max ms'],
      ['after warm-up', warm, mb(base.heap), '', '', ''],
      ['"5 minutes"', at5min, mb(mid.heap), results.longtasks.first5min.count, fmt(results.longtasks.first5min.p99), fmt(results.longtasks.first5min.max)],
      ['end', ticks, mb(end.heap), results.longtasks.after5min.count, fmt(results.longtasks.after5min.p99), fmt(results.longtasks.after5min.max)],
    ]);
    const file = writeResult('soak', { skipped: false, params: { slots: 64, ticks, tickMs: 250, at5minTicks: at5min, job: 'sleep 1..8 s' }, results });
    return { file, results };
  } finally {
    control?.close();
    await browser?.close();
    await server.stop();
  }
}
