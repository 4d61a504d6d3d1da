// Screenshots the dashboard to docs/screenshot.png. Builds nothing: serves out/renderer with a tiny
// static server and the in-browser simulator (?mock), or uses CORRAL_URL (e.g. `corral serve --demo`).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const webRoot = join(root, 'out', 'renderer');
const outFile = process.env.SCREENSHOT_OUT ?? join(root, 'docs', 'screenshot.png');
const scheme = process.env.SCREENSHOT_SCHEME ?? 'dark';
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png' };

function serveStatic() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^([/\\])+/, '');
    const file = join(webRoot, path === '' ? 'index.html' : path);
    if (!file.startsWith(webRoot + sep) && file !== webRoot) return void res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// Default: the real thing, `corral serve --demo` on a free port. `--mock` uses the simulator.
let server = null;
let serveProc = null;
let url = process.env.CORRAL_URL;
if (!url && process.argv.includes('--mock')) {
  server = await serveStatic();
  url = `http://127.0.0.1:${server.address().port}/?mock`;
} else if (!url) {
  const { spawn } = await import('node:child_process');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  serveProc = spawn(process.execPath, [join(root, 'bin', 'corral.cjs'), 'serve', '--demo', '--port', '0'], {
    env: { ...process.env, CORRAL_STATE_DIR: mkdtempSync(join(tmpdir(), 'corral-shot-')) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  url = await new Promise((resolve, reject) => {
    let out = '';
    serveProc.stdout.on('data', (d) => {
      out += d;
      const m = /dashboard at (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    serveProc.once('exit', (code) => reject(new Error(`corral serve exited ${code}`)));
  });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: scheme });
  const problems = [];
  page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && problems.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(url);
  // "Has data": lanes drawn, bars in them, task rows in the table.
  await page.locator('[data-slot]').first().waitFor({ timeout: 30_000 });
  await page.locator('rect[data-seq]').first().waitFor({ timeout: 60_000 });
  await page.locator('[role="table"][aria-label="Tasks"] [role="row"][data-seq]').first().waitFor({ timeout: 30_000 });
  if (process.env.SCREENSHOT_TASK) {
    await page.getByRole('button', { name: `Show task ${process.env.SCREENSHOT_TASK}` }).first().click();
  } else if (serveProc) {
    // The demo's idle task turns stuck after a few seconds: show it with its evidence.
    const stuck = page.locator('section[aria-label="Stuck tasks"] li[data-seq]').first();
    await stuck.waitFor({ timeout: 60_000 });
    const seq = await stuck.getAttribute('data-seq');
    await page.getByRole('button', { name: `Show task ${seq}`, exact: true }).first().click();
  } else {
    // Open the task being stopped, if any, to show the kill countdown (click its task-stream bar).
    const stopping = page.locator('rect[data-status="stopping"]').first();
    if (await stopping.count()) await stopping.click();
  }
  await page.waitForTimeout(Number(process.env.SCREENSHOT_WAIT_MS ?? 2500));
  await page.screenshot({ path: outFile });
  console.log(`screenshot: ${outFile} (${url})`);
  if (problems.length) console.log(`browser console:\n  ${problems.join('\n  ')}`);
} finally {
  await browser.close();
  server?.close();
  serveProc?.kill('SIGINT');
}
