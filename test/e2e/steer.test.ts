import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeBrowser, fixture, openPage, serve, waitFor, type Served } from './helpers.js';

// Finding and steering: search by output, row keys, focus after actions, slot kills, the
// confirmations on S and D, "Start remaining", pool-size messages, bulk retry, joblog export.

let served: Served | null = null;
afterEach(async () => {
  await served?.stop();
  served = null;
});
afterAll(closeBrowser);

const state = (page: Page) => page.getByTestId('job-state').textContent();
const table = (page: Page) => page.getByRole('table', { name: 'Tasks' });
const rowState = (page: Page, seq: number) => table(page).locator(`[role=row][data-seq="${seq}"] .col-state`).textContent();

describe('finding and steering tasks against corral serve (real processes)', () => {
  it('finds a task by a string in its output, walks rows with j/k, opens with Enter, and keeps focus on the row after an action', async () => {
    served = await serve([fixture('steer.yaml')]);
    const page = await openPage(served.url);
    await waitFor('three tasks running', async () => (await page.locator('.header [data-count="running"]').textContent()) === '3', 60_000);
    // `/` focuses the search field; the marker is only in task 2's output, not in any input.
    await page.locator('body').press('/');
    const field = page.getByRole('searchbox', { name: 'Search tasks' });
    expect(await field.evaluate((e) => e === document.activeElement)).toBe(true);
    await field.fill('marker-beta');
    await page.getByRole('combobox', { name: 'Search in' }).selectOption('input');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'marker-beta' }).textContent()).toContain('No task has “marker-beta” in its input.');
    await page.getByRole('combobox', { name: 'Search in' }).selectOption('output');
    await waitFor('task 2 found by its output', async () => {
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      return (await page.getByRole('list', { name: 'Search results' }).locator('[data-seq]').allTextContents()).length === 1;
    }, 30_000);
    expect(await page.getByRole('list', { name: 'Search results' }).locator('[data-seq]').getAttribute('data-seq')).toBe('2');
    await page.getByRole('list', { name: 'Search results' }).getByRole('button', { name: 'Open task 2', exact: true }).click();
    await page.getByRole('region', { name: 'Task 2' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByRole('region', { name: 'Task 2' }).getByRole('log').textContent(), { timeout: 15_000 }).toContain('marker-beta');

    // j from the page jumps into the rows; j again goes to the next; Enter opens it.
    await page.getByRole('region', { name: 'Task 2' }).getByRole('button', { name: 'Close task 2' }).click();
    await page.locator('body').press('j');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-seq'))).toBe('1');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-seq'))).toBe('3');
    await page.keyboard.press('k');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-seq'))).toBe('2');
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: 'Task 2' }).waitFor({ timeout: 15_000 });

    // "Stop task 1" disappears with the new state; focus returns to task 1's row, not the body.
    await table(page).getByRole('button', { name: 'Stop task 1', exact: true }).click();
    await expect.poll(() => rowState(page, 1), { timeout: 30_000 }).toMatch(/^(stopping|killed)$/);
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[role=row]')?.getAttribute('data-seq') ?? document.activeElement?.tagName)).toBe('1');

    // "Kill slot N" ends the task on that slot.
    const slotOf3 = Number(await table(page).locator('[role=row][data-seq="3"] .col-slot').textContent());
    await page.getByText("Kill a slot's task…").click();
    await page.getByRole('button', { name: `Kill slot ${slotOf3}`, exact: true }).click();
    await expect.poll(() => rowState(page, 3), { timeout: 30_000 }).toBe('killed');
    await expect.poll(() => page.getByRole('list', { name: 'Events' }).textContent()).toContain(`You killed slot ${slotOf3}'s task.`);
  });

  it('S and D ask first; after a drain "Start remaining" runs the rest; the pool size says why it refuses a value', async () => {
    served = await serve([fixture('many.yaml')]);
    const page = await openPage(served.url);
    await expect.poll(() => state(page), { timeout: 30_000 }).toBe('running');

    for (const [value, message] of [
      ['0', 'Pool size must be at least 1 (got 0).'],
      ['-3', 'Pool size must be at least 1 (got -3).'],
      ['2000', 'Pool size must be at most 1024 (got 2000).'],
      ['2.5', 'Pool size must be a whole number of slots (got 2.5).'],
    ]) {
      const pool = page.getByRole('spinbutton', { name: 'Pool size' });
      await pool.fill(value);
      await pool.press('Enter');
      await expect.poll(() => page.locator('#pool-size-error').textContent()).toBe(message);
      expect(await pool.getAttribute('aria-invalid')).toBe('true');
      await pool.press('Escape');
    }
    expect(await page.locator('.header [data-count="running"]').textContent()).toBe('2');

    // The job file cannot be replaced while the job runs.
    await page.getByText('Job file', { exact: true }).click();
    expect(await page.getByRole('button', { name: 'Load job', exact: true }).isDisabled()).toBe(true);
    expect(await page.getByRole('textbox', { name: 'Job file' }).getAttribute('readonly')).not.toBeNull();

    // S asks; Cancel leaves the job running.
    await page.locator('body').press('s');
    const stopDialog = page.getByRole('dialog', { name: 'Stop every task?' });
    await stopDialog.waitFor({ timeout: 10_000 });
    await stopDialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await state(page)).toBe('running');

    // D asks; confirming drains: the running tasks end, the queued ones stay.
    await page.locator('body').press('d');
    const drainDialog = page.getByRole('dialog', { name: 'Drain the job?' });
    await drainDialog.getByRole('button', { name: 'Drain', exact: true }).click();
    await expect.poll(() => state(page), { timeout: 30_000 }).toBe('stopped');
    const queued = Number(await page.locator('.header [data-count="queued"]').textContent());
    expect(queued).toBeGreaterThan(0);
    expect(await page.getByRole('spinbutton', { name: 'Pool size' }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Start remaining', exact: true }).click();
    await expect.poll(() => state(page), { timeout: 30_000 }).toBe('running');
    await page.getByRole('spinbutton', { name: 'Pool size' }).fill('8');
    await page.getByRole('spinbutton', { name: 'Pool size' }).press('Enter');
    await expect.poll(() => state(page), { timeout: 120_000 }).toBe('finished');
    expect(await page.locator('.header [data-count="done"]').textContent()).toBe('30');
  });

  it('"Retry all failed" runs the failed tasks again; the joblog downloads as TSV and CSV', async () => {
    served = await serve([fixture('mixed.yaml')]);
    const page = await openPage(served.url);
    await expect.poll(() => state(page), { timeout: 60_000 }).toBe('finished');
    const retry = page.getByRole('button', { name: 'Retry all failed (3)' });
    await retry.click();
    await expect.poll(() => page.getByRole('list', { name: 'Events' }).textContent(), { timeout: 30_000 }).toContain('You retried 3 tasks.');
    // The job ran again (its state went back to running for a moment): each failed task has a second attempt.
    for (const seq of [1, 3, 5]) {
      await expect.poll(() => table(page).locator(`[role=row][data-seq="${seq}"] .col-attempt`).textContent(), { timeout: 60_000 }).toBe('2');
    }
    await expect.poll(() => state(page), { timeout: 60_000 }).toBe('finished');
    for (const seq of [2, 4, 6]) expect(await table(page).locator(`[role=row][data-seq="${seq}"] .col-attempt`).textContent()).toBe('1');

    const [tsv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export joblog (TSV)' }).click()]);
    expect(tsv.suggestedFilename()).toBe('e2e-mixed.joblog.tsv');
    const tsvText = await streamText(await tsv.createReadStream());
    expect(tsvText.split('\n')[0]).toMatch(/^Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\t/);
    expect(tsvText.trim().split('\n')).toHaveLength(1 + 9); // six first attempts, three retries
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export joblog (CSV)' }).click()]);
    expect(csv.suggestedFilename()).toBe('e2e-mixed.joblog.csv');
    const csvText = await streamText(await csv.createReadStream());
    expect(csvText.split('\r\n')[0]).toMatch(/^Seq,Host,Starttime,JobRuntime,Send,Receive,Exitval,Signal,Command,/);
  });
});

async function streamText(s: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of s) out += String(chunk);
  return out;
}
