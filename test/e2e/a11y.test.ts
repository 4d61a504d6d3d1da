import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { expectNoViolations } from './axe.js';
import { badJobText, closeBrowser, fixture, openPage, pasteJob, serve, waitFor, type Served } from './helpers.js';

// axe-core's WCAG 2.0/2.1 A and AA rules on the real dashboard, in both colour schemes and at
// 1440×900 and 1024×700: while the job runs with tasks in several states (charts, pills, stuck
// panel, event log and toast all drawn), with a stuck task open, finished, and in error.

let served: Served | null = null;
afterEach(async () => {
  await served?.stop();
  served = null;
});
afterAll(closeBrowser);

const count = async (page: Page, key: string) => Number(await page.locator(`.header [data-count="${key}"]`).textContent());

describe('accessibility (axe-core, WCAG 2.1 A/AA) against corral serve', () => {
  it('the demo: main view, and the task detail open on a stuck task', async () => {
    served = await serve(['--demo']);
    const page = await openPage(served.url);
    await waitFor('demo tasks done, stuck and queued at once', async () => (await count(page, 'done')) > 0 && (await count(page, 'stuck')) > 0 && (await count(page, 'queued')) > 0, 90_000);
    await waitFor('pool CPU chart drawn', async () => (await page.getByRole('region', { name: 'Pool CPU' }).locator('path.recharts-curve').count()) > 0);
    await expectNoViolations(page, 'main view');

    const seq = Number(await page.getByRole('region', { name: 'Stuck tasks' }).locator('[data-seq]').first().getAttribute('data-seq'));
    await page.getByRole('button', { name: `Show task ${seq}`, exact: true }).first().click();
    const detail = page.getByRole('region', { name: `Task ${seq}` });
    await waitFor('process tree in the detail', async () => (await detail.getByRole('table', { name: 'Process tree' }).locator('tbody tr').count()) > 0, 30_000);
    await waitFor('history chart in the detail', async () => (await detail.locator('path.recharts-curve').count()) > 0, 30_000);
    await expectNoViolations(page, `task ${seq} detail`);
  });

  it('the stuck panel with the suspect hints unfolded', async () => {
    served = await serve([fixture('suspect.yaml')]);
    const page = await openPage(served.url);
    const stuck = page.getByRole('region', { name: 'Stuck tasks' });
    await waitFor('task 1 stuck', async () => (await stuck.locator(':scope > .stuck-list > [data-seq="1"]').count()) > 0, 60_000);
    const hints = stuck.locator('details.suspect-group');
    await waitFor('task 2 among the suspect hints', async () => (await hints.locator('[data-seq="2"]').count()) > 0, 60_000);
    await hints.locator('summary').click();
    expect(await hints.getAttribute('open')).not.toBeNull();
    await expectNoViolations(page, 'stuck panel, hints unfolded');
  });

  it('a finished job with failures: the event log unfolded, the search results listed', async () => {
    served = await serve([fixture('mixed.yaml')]);
    const page = await openPage(served.url);
    await expect.poll(() => page.getByTestId('job-state').textContent(), { timeout: 60_000 }).toBe('finished');
    const log = page.getByRole('region', { name: 'Event log' });
    await waitFor('grouped failures in the log', async () => (await log.getByText(/^3 tasks failed/).count()) > 0, 30_000);
    await log.getByText(/^3 tasks failed/).click();
    await page.getByRole('searchbox', { name: 'Search tasks' }).fill('1');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('list', { name: 'Search results' }).waitFor({ timeout: 15_000 });
    await expectNoViolations(page, 'finished');
  });

  it('errors: a job file with problems listed at their lines, and the failed load in the toast', async () => {
    served = await serve([]);
    const page = await openPage(served.url);
    await pasteJob(page, badJobText);
    await page.getByRole('list', { name: 'Job file problems' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator('.toasts').textContent()).toContain('Load job failed');
    await expectNoViolations(page, 'job file error');
  });

  it('a task stopping: the kill sequence step in the task detail', async () => {
    served = await serve([fixture('stopping.yaml')]);
    const page = await openPage(served.url);
    const row = page.getByRole('table', { name: 'Tasks' }).locator('[role=row][data-seq="1"]');
    await expect.poll(() => row.locator('.col-state').textContent(), { timeout: 30_000 }).toBe('running');
    await page.getByRole('button', { name: 'Show task 1', exact: true }).first().click();
    const detail = page.getByRole('region', { name: 'Task 1' });
    await detail.getByRole('button', { name: 'Stop task 1', exact: true }).click();
    await expect.poll(() => detail.locator('.stop-step').textContent(), { timeout: 15_000 }).toMatch(/Sent TERM — KILL in/);
    await expectNoViolations(page, 'task stopping');
    await detail.getByRole('button', { name: 'Kill task 1', exact: true }).click();
    await expect.poll(() => row.locator('.col-state').textContent(), { timeout: 30_000 }).toBe('killed');
  });

  it('the welcome screen with no job loaded (the job file editor open)', async () => {
    served = await serve([]);
    const page = await openPage(served.url);
    await waitFor('welcome screen', async () => (await page.getByRole('button', { name: 'Run demo' }).count()) > 0, 30_000);
    await expectNoViolations(page, 'welcome');
  });
});
