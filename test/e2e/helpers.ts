import { readProcStat } from '../../main/core/monitor/platform/procfs.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const repoRoot = resolve(__dirname, '../..');
export const chromiumPath = process.env.CORRAL_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export interface Served {
  url: string;
  origin: string;
  token: string;
  proc: ChildProcess;
  stateDir: string;
  stderr: () => string;
  stop(): Promise<void>;
}

/** Starts `corral serve ARGS --port 0` and resolves with the printed dashboard URL. `opts.stateDir`: the caller's (kept on stop). */
export async function serve(args: string[], opts: { stateDir?: string } = {}): Promise<Served> {
  const stateDir = opts.stateDir ?? mkdtempSync(join(tmpdir(), 'corral-e2e-'));
  const proc = spawn(process.execPath, [join(repoRoot, 'bin/corral.cjs'), 'serve', ...args, '--port', '0'], {
    cwd: repoRoot,
    env: { ...process.env, CORRAL_STATE_DIR: stateDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`corral serve printed no URL in 30 s; stderr: ${err}`)), 30_000);
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /dashboard at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res(m[1]);
      }
    });
    proc.once('exit', (code) => rej(new Error(`corral serve exited ${code}: ${err}`)));
  });
  const u = new URL(url);
  return {
    url,
    origin: u.origin,
    token: new URLSearchParams(u.hash.slice(1)).get('token')!,
    proc,
    stateDir,
    stderr: () => err,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGINT');
        const t = setTimeout(() => proc.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(t);
      }
      if (!opts.stateDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

let browser: Browser | null = null;
export async function openPage(url: string): Promise<Page> {
  browser ??= await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(url);
  return page;
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = null;
}

export const fixture = (name: string) => join(repoRoot, 'test/fixtures/e2e', name);

/** A zombie is gone for our purposes (as for the supervisor): nothing of it runs, its parent has not reaped it yet. */
export function pidAlive(pid: number): boolean {
  const stat = readProcStat(pid);
  return stat !== null && stat.state !== 'Z' && stat.state !== 'X';
}

export async function waitFor<T>(what: string, f: () => T | Promise<T>, ms = 60_000): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await f();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** A job file with one located problem (line 5: concurrency -2). */
export const badJobText = 'name: bad\ncommand: echo {}\ninputs:\n  list: [a]\nconcurrency: -2\n';

/** Pastes a job file into the welcome screen's editor and clicks "Load job". */
export async function pasteJob(page: Page, text: string): Promise<void> {
  const editor = page.getByRole('textbox', { name: 'Job file' });
  await editor.waitFor({ timeout: 30_000 });
  await editor.fill(text);
  await page.getByRole('button', { name: 'Load job', exact: true }).click();
}
