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

let server = null;
let url = process.env.CORRAL_URL;
if (!url) {
  server = await serveStatic();
  url = `http://127.0.0.1:${server.address().port}/?mock`;
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
}
