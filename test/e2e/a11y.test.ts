import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeViolations, runAxe } from './axe.js';
import { closeBrowser, fixture, openPage, serve, waitFor, type Served } from './helpers.js';

// axe-core's WCAG 2.0/2.1 A and AA rules on the real dashboard, in both colour schemes, while
// the job runs with tasks in several states (charts, pills, stuck panel and toasts all drawn).

let served: Served | null = null;
afterEach(async () => {
  await served?.stop();
  served = null;
});
afterAll(closeBrowser);

const count = async (page: Page, key: string) => Number(await page.locator(`.header [data-count="${key}"]`).textContent());

async function expectNoViolations(page: Page, where: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    // Chart colours come from a matchMedia listener: let React draw the new scheme first.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const { violations, rulesPassed } = await runAxe(page);
    expect(rulesPassed, `axe checked rules on ${where}, ${scheme}`).toBeGreaterThan(10);
    const report = describeViolations(`${where}, ${scheme}`, violations);
    if (report) console.log(report);
    expect.soft(report).toBe('');
  }
}

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

  it('the welcome screen with no job loaded (the job file editor open)', async () => {
    served = await serve([]);
    const page = await openPage(served.url);
    await waitFor('welcome screen', async () => (await page.getByRole('button', { name: 'Run demo' }).count()) > 0, 30_000);
    await expectNoViolations(page, 'welcome');
  });
});
