import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeBrowser, fixture, openPage, serve, waitFor, type Served } from './helpers.js';

// Issue 9 ("trust the numbers") on the real supervisor: a task the user kills is not a failure,
// and a task too short to be sampled shows "—", not 0.

let served: Served | null = null;
afterEach(async () => {
  await served?.stop();
  served = null;
});
afterAll(closeBrowser);

const count = (page: Page, key: string) => page.locator(`.header [data-count="${key}"]`);
const taskState = (page: Page, seq: number) =>
  page.getByRole('table', { name: 'Tasks' }).locator(`[role=row][data-seq="${seq}"] .col-state`).textContent();

describe('dashboard numbers against corral serve (real processes)', () => {
  it('counts a task the user killed as killed, not failed: the header shows failed 1, killed 1, ok 1', async () => {
    served = await serve([fixture('truth.yaml')]);
    const page = await openPage(served.url);
    // Task 2 (`exit 3`) fails on its own; task 3 (`true`) succeeds; task 1 sleeps until killed.
    await expect.poll(() => taskState(page, 2), { timeout: 60_000 }).toBe('failed');
    await expect.poll(() => taskState(page, 3), { timeout: 60_000 }).toBe('done');
    await waitFor('task 1 running', async () => (await taskState(page, 1)) === 'running', 60_000);
    await page.getByRole('button', { name: 'Kill task 1', exact: true }).first().click();
    await expect.poll(() => page.getByTestId('job-state').textContent(), { timeout: 60_000 }).toBe('finished');

    await expect.poll(() => count(page, 'failed').textContent(), { timeout: 15_000 }).toBe('1');
    expect(await count(page, 'killed').textContent()).toBe('1');
    expect(await count(page, 'done').textContent()).toBe('1');
    expect(await count(page, 'done').locator('xpath=preceding-sibling::dt').textContent()).toBe('ok');
    // Only the real failure is red: the killed count has its own tone.
    expect(await count(page, 'killed').locator('xpath=..').getAttribute('class')).toContain('tone-killed');
    expect(await count(page, 'failed').locator('xpath=..').getAttribute('class')).toContain('tone-failed');
    // Every task ended: progress is 100 %, and a finished job has no ETA.
    expect(await page.getByRole('progressbar', { name: 'Job progress' }).getAttribute('aria-valuenow')).toBe('100');
    expect(await page.getByTestId('eta').textContent()).toBe('—');
  });

  it('shows "—" and "no samples yet" for a task that ended before its first sample', async () => {
    served = await serve([fixture('truth.yaml')]);
    const page = await openPage(served.url);
    await expect.poll(() => taskState(page, 3), { timeout: 60_000 }).toBe('done');
    await page.getByRole('button', { name: 'Show task 3', exact: true }).first().click();
    const detail = page.getByRole('region', { name: 'Task 3' });
    await expect.poll(() => detail.getByTestId('task-state').textContent(), { timeout: 30_000 }).toBe('done');
    expect(await detail.getByTestId('task-cpu').textContent()).toBe('—');
    expect(await detail.getByTestId('task-cpu-time').textContent()).toBe('—');
    expect(await detail.getByTestId('task-memory').textContent()).toBe('RSS— peak —');
    await expect.poll(() => detail.locator('.no-samples').textContent(), { timeout: 30_000 }).toBe('no samples yet');
    // The table's CPU-time cell is unknown too, never "0.00 s".
    const row = page.getByRole('table', { name: 'Tasks' }).locator('[role=row][data-seq="3"]');
    expect(await row.locator('.col-cpuSeconds').textContent()).toBe('—');
  });
});
