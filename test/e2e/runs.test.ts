import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeViolations, runAxe } from './axe.js';
import { closeBrowser, openPage, repoRoot, serve, waitFor, type Served } from './helpers.js';

// The Runs sidebar: an earlier run reopened from its joblog (Retry failed, runtimes against the run
// before), and a `corral run` in a terminal watched and stopped from `corral serve`'s page.

let served: Served | null = null;
const children: { kill(sig: NodeJS.Signals): boolean }[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await served?.stop();
  served = null;
});
afterAll(closeBrowser);

const cli = join(repoRoot, 'bin/corral.cjs');

async function expectNoViolations(page: Page, where: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const { violations, rulesPassed } = await runAxe(page);
    expect(rulesPassed).toBeGreaterThan(10);
    expect(describeViolations(`${where}, ${scheme}`, violations)).toBe('');
  }
}

describe('Runs sidebar', () => {
  it('reopens an earlier run from its joblog, compares runtimes with the run before, and retries its failed tasks', async () => {
    served = await serve([]);
    const dir = mkdtempSync(join(tmpdir(), 'corral-e2e-runs-'));
    const job = join(dir, 'nightly.yaml');
    // The same commands in every run (runtimes compare by command); a file decides which one fails.
    writeFileSync(job, `name: nightly\ncommand: [sh, -c, 'sleep 0.$0; test ! -e fail-$0', '{}']\ncwd: ${JSON.stringify(dir)}\nconcurrency: 2\ninputs:\n  list: [1, 2, 3, 4]\n`);
    const env = { ...process.env, CORRAL_STATE_DIR: served.stateDir };
    expect(spawnSync(process.execPath, [cli, 'run', job], { env }).status).toBe(0);
    writeFileSync(join(dir, 'fail-3'), '');
    expect(spawnSync(process.execPath, [cli, 'run', job], { env }).status).toBe(1);

    const page = await openPage(served.url);
    const runs = page.getByRole('navigation', { name: 'Runs' });
    await runs.getByRole('button', { name: 'Runs', exact: true }).click();
    const newest = runs.getByRole('button', { name: /nightly .* 3 ok, 1 failed/ });
    await waitFor('the run in the sidebar', async () => (await newest.count()) === 1, 30_000);
    await newest.click();
    const view = page.getByRole('main', { name: /^Earlier run nightly, / });
    const table = view.getByRole('table', { name: /^Attempts of nightly/ });
    await waitFor('four joblog rows', async () => (await table.locator('tbody tr').count()) === 4, 30_000);
    // Every command ran in the run before: each row has a previous runtime and a change.
    for (const row of await table.locator('tbody tr').all()) {
      const cells = await row.locator('td').allTextContents();
      expect(cells[5]).not.toBe('—');
      expect(cells[6]).toMatch(/^(\+\d+ %|−\d+ %|±0 %)$/);
    }
    expect(await table.locator('tbody tr', { hasText: 'failed (exit 1)' }).count()).toBe(1);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.emulateMedia({ colorScheme: 'light' });
    // docs/screenshot-history.png is refreshed on request only: a test run must not change tracked files.
    if (process.env.CORRAL_SCREENSHOTS === '1') await page.screenshot({ path: join(repoRoot, 'docs/screenshot-history.png') });
    await expectNoViolations(page, 'earlier run');

    rmSync(join(dir, 'fail-3'));
    await view.getByRole('button', { name: 'Retry failed' }).click();
    await waitFor('the retry of task 3 to finish', async () => (await page.locator('.header [data-count="done"]').textContent()) === '1', 60_000);
    expect(await page.locator('.header [data-count="skipped"]').textContent()).toBe('3');
  });

  it('watches a `corral run` started in a terminal and stops it from the page', async () => {
    served = await serve([]);
    const dir = mkdtempSync(join(tmpdir(), 'corral-e2e-attach-'));
    const job = join(dir, 'ssh.yaml');
    writeFileSync(job, 'name: over-ssh\ncommand: sleep {}\nconcurrency: 2\ninputs:\n  list: [315.1, 315.2, 315.3]\n');
    const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} run ${JSON.stringify(job)}`;
    const run = spawn('script', ['-qfec', cmd, '/dev/null'], { env: { ...process.env, CORRAL_STATE_DIR: served.stateDir }, stdio: 'ignore' });
    children.push(run);
    const exited = new Promise<number | null>((r) => run.once('close', (code) => r(code)));

    const page = await openPage(served.url);
    await page.getByRole('navigation', { name: 'Runs' }).getByRole('button', { name: 'Runs', exact: true }).click();
    const live = page.getByRole('navigation', { name: 'Runs' }).getByRole('list', { name: 'Live' });
    const other = live.getByRole('button', { name: /^over-ssh corral · pid \d+$/ });
    await waitFor('the run among the live supervisors', async () => (await other.count()) === 1, 60_000);
    await other.click();
    await waitFor('the page to show the run', async () => (await page.locator('.header [data-count="running"]').textContent()) === '2', 60_000);
    expect(await other.getAttribute('aria-current')).toBe('true');
    await expectNoViolations(page, 'attached run');

    await page.getByRole('group', { name: 'Job controls' }).getByRole('button', { name: 'Stop all' }).click();
    await page.getByRole('dialog', { name: 'Stop every task?' }).getByRole('button', { name: 'Stop all', exact: true }).click();
    expect(await waitFor('corral run to exit', () => exited.then((c) => ({ c })), 60_000)).toEqual({ c: 1 });
    await waitFor('back on this dashboard', async () => (await live.getByRole('button', { name: /^This dashboard/ }).getAttribute('aria-current')) === 'true', 30_000);
  });
});
