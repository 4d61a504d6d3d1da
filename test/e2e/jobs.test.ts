import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { expectNoViolations } from './axe.js';
import { closeBrowser, openPage, pasteJob, pidAlive, repoRoot, serve, waitFor, type Served } from './helpers.js';

// Several jobs in one `corral serve`: start one, "New job", start another; both in the sidebar
// with their own counts, switch between them, stop one while the other keeps running, close the
// finished one; the header's machine total and the notice when the pools exceed the cores.

let served: Served | null = null;
afterEach(async () => {
  await served?.stop();
  served = null;
});
afterAll(closeBrowser);

const sleepers = (arg: string) =>
  spawnSync('pgrep', ['-x', '-f', `sleep ${arg}`], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number).filter(pidAlive);
const jobsList = (page: Page) => page.getByRole('navigation', { name: 'Runs' }).getByRole('list', { name: 'Jobs here' });
const headerName = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

async function start(page: Page, text: string, name: string): Promise<void> {
  await pasteJob(page, text);
  await waitFor(`${name} loaded`, async () => (await headerName(page)) === name, 30_000);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
}

describe('several jobs in one dashboard', () => {
  it('runs two jobs at once, switches between them, stops one while the other keeps running, closes the finished one', async () => {
    served = await serve([]);
    const cores = availableParallelism();
    const go = join(mkdtempSync(join(tmpdir(), 'corral-e2e-jobs-')), 'go');
    // The first job fills a pool of one slot per core; the second waits for a file the test creates.
    const first = `name: first\ncommand: sleep {}\nconcurrency: ${cores}\ninputs:\n  list: [${Array.from({ length: cores + 1 }, (_, i) => `351.${i + 1}`).join(', ')}]\n`;
    const second = `name: second\ncommand: [sh, -c, 'while [ ! -e "$0" ]; do sleep 0.2; done', '{}']\nconcurrency: 1\ninputs:\n  list: [${JSON.stringify(go)}, ${JSON.stringify(go)}]\n`;
    const page = await openPage(served.url);
    await start(page, first, 'first');
    await waitFor('the first job to fill its pool', async () => (await page.locator('.header [data-count="running"]').textContent()) === String(cores), 60_000);

    const nav = page.getByRole('navigation', { name: 'Runs' });
    await nav.getByRole('button', { name: 'New job', exact: true }).click();
    await page.getByRole('textbox', { name: 'Job file' }).waitFor({ timeout: 30_000 });
    await start(page, second, 'second');
    await nav.getByRole('button', { name: 'Runs', exact: true }).click();

    const firstRow = jobsList(page).getByRole('button', { name: `first running · 0/${cores + 1} done · ${cores} busy` });
    const secondRow = jobsList(page).getByRole('button', { name: 'second running · 0/2 done · 1 busy' });
    await waitFor('both jobs in the sidebar with their own counts', async () => (await firstRow.count()) === 1 && (await secondRow.count()) === 1, 60_000);
    expect(await secondRow.getAttribute('aria-current')).toBe('true');
    // The machine total adds both jobs' busy slots; the pools together exceed the cores.
    const total = page.getByRole('definition').filter({ hasText: /busy in/ });
    await waitFor('the machine total', async () => (await total.textContent()) === `${cores + 1} busy in 2 jobs`, 30_000);
    expect(await page.getByRole('status').filter({ hasText: 'pools total' }).textContent()).toBe(
      `The live jobs' pools total ${cores + 1} slots on ${cores} ${cores === 1 ? 'core' : 'cores'}: their tasks share the CPU.`,
    );
    await expectNoViolations(page, 'two jobs in the sidebar');
    // docs/screenshot-jobs.png is refreshed on request only: a test run must not change tracked files.
    if (process.env.CORRAL_SCREENSHOTS === '1') await page.screenshot({ path: join(repoRoot, 'docs/screenshot-jobs.png') });

    // Each job's tasks on its own page.
    const tasks = page.getByRole('table', { name: 'Tasks' });
    await waitFor('the second job\'s tasks', async () => (await tasks.getByText(go).count()) > 0, 30_000);
    await firstRow.click();
    await waitFor('the first job on show', async () => (await headerName(page)) === 'first' && (await tasks.getByText('351.1', { exact: true }).count()) > 0, 30_000);
    expect(await tasks.getByText(go).count()).toBe(0);

    // Stop the first: its sleeps go, the second's task keeps running.
    await page.getByRole('group', { name: 'Job controls' }).getByRole('button', { name: 'Stop all' }).click();
    await page.getByRole('dialog', { name: 'Stop every task?' }).getByRole('button', { name: 'Stop all', exact: true }).click();
    await waitFor('the first job stopped', async () => (await page.getByTestId('job-state').textContent()) === 'stopped', 60_000);
    await waitFor('its sleeps gone', () => Array.from({ length: cores + 1 }, (_, i) => sleepers(`351.${i + 1}`)).flat().length === 0, 30_000);
    const stillRunning = jobsList(page).getByRole('button', { name: 'second running · 0/2 done · 1 busy' });
    expect(await stillRunning.count()).toBe(1);
    await stillRunning.click();
    await waitFor('the second job on show, still running', async () => (await headerName(page)) === 'second' && (await page.locator('.header [data-count="running"]').textContent()) === '1', 30_000);

    // It finishes; a finished job can be closed, and its row goes.
    writeFileSync(go, '');
    await waitFor('the second job finished', async () => (await page.getByTestId('job-state').textContent()) === 'finished', 60_000);
    await jobsList(page).getByRole('button', { name: 'Close job second' }).click();
    await waitFor('its row gone, the first on show', async () => (await jobsList(page).getByRole('listitem').count()) === 1 && (await headerName(page)) === 'first', 30_000);
    expect(await jobsList(page).getByRole('button', { name: /^first stopped · 0\/\d+ done · 0 busy$/ }).count()).toBe(1);
  });
});
