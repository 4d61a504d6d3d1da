import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { badJobText, closeBrowser, fixture, openPage, pasteJob, pidAlive, serve, waitFor, type Served } from './helpers.js';

let served: Served | null = null;
afterEach(async () => {
  await served?.stop();
  served = null;
});
afterAll(closeBrowser);

const progress = (page: Page) => page.getByRole('progressbar', { name: 'Job progress' });
const taskRow = (page: Page, seq: number) => page.getByRole('table', { name: 'Tasks' }).locator(`[role=row][data-seq="${seq}"]`);

/** Pids of a process group, from ps (the dashboard's own numbers are what we verify against). */
function groupPids(pgid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '-g', String(pgid)], { encoding: 'utf8' })
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}

describe('dashboard against corral serve (real processes)', () => {
  it('runs the demo to the end: progress reaches 100 %, the task stream and charts update', async () => {
    served = await serve(['--demo']);
    const page = await openPage(served.url);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 30_000 }).toBe('corral-demo');
    // The task stream draws bars and the pool CPU chart draws a line once ticks arrive.
    const stream = page.getByRole('region', { name: 'Task stream' });
    await waitFor('task stream bars', async () => (await stream.locator('[data-seq]').count()) > 0, 60_000);
    await waitFor('pool CPU chart line', async () => (await page.getByRole('region', { name: 'Pool CPU' }).locator('path.recharts-curve').count()) > 0, 60_000);
    await waitFor('queue chart', async () => (await page.getByRole('region', { name: 'Queue' }).locator('svg').count()) > 0, 30_000);
    const barsEarly = await stream.locator('[data-seq]').count();
    await expect.poll(async () => Number(await progress(page).getAttribute('aria-valuenow')), { timeout: 150_000, interval: 1000 }).toBe(100);
    expect(await stream.locator('[data-seq]').count()).toBeGreaterThan(barsEarly);
    await expect.poll(() => page.getByTestId('job-state').textContent(), { timeout: 20_000 }).toBe('finished');
  });

  it('flags a silent idle task under "Stuck tasks" with its evidence, and stops a TERM-ignoring tree to `killed` with a countdown', async () => {
    served = await serve([fixture('control.yaml')]);
    const page = await openPage(served.url);
    const stuck = page.getByRole('region', { name: 'Stuck tasks' });
    // Task 1 is `sleep 120`: no CPU, no output.
    await waitFor('task 1 under Stuck tasks', async () => (await stuck.locator('[data-seq="1"]').count()) > 0, 60_000);
    const evidence = await stuck.locator('[data-seq="1"]').textContent();
    expect(evidence).toMatch(/CPU 0\.0 s in \d+ s/);
    expect(evidence).toMatch(/no output for \d+ s/);
    // Both rules fire: a verdict, listed in the open (not folded with the suspect hints) and counted as stuck.
    await waitFor('task 1 judged stuck', async () => (await stuck.locator(':scope > .stuck-list > [data-seq="1"]').count()) > 0, 60_000);
    expect(await stuck.locator(':scope > .stuck-list > [data-seq="1"] .pill').textContent()).toBe('stuck');
    await expect.poll(() => page.locator('.header [data-count="stuck"]').textContent(), { timeout: 15_000 }).not.toBe('0');

    // Task 2 ignores TERM (and so does its child): the kill sequence must escalate to KILL.
    const row = taskRow(page, 2);
    await waitFor('task 2 running with pids', async () => /\d/.test((await row.locator('.col-pids').textContent()) ?? ''), 30_000);
    await page.getByRole('button', { name: 'Show task 2', exact: true }).first().click();
    const detail = page.getByRole('region', { name: 'Task 2' });
    await waitFor('process tree of task 2', async () => (await detail.getByRole('table', { name: 'Process tree' }).locator('tbody tr').count()) >= 2, 30_000);
    const anyPid = Number(((await row.locator('.col-pids').getAttribute('title')) ?? '').split(' ')[0]);
    const pgid = Number(execFileSync('ps', ['-o', 'pgid=', '-p', String(anyPid)], { encoding: 'utf8' }).trim());
    const pids = groupPids(pgid);
    expect(pids.length).toBeGreaterThanOrEqual(2);

    await page.getByRole('button', { name: 'Stop task 2', exact: true }).first().click();
    await expect.poll(() => row.locator('.col-state').textContent(), { timeout: 15_000 }).toBe('stopping');
    await expect.poll(() => detail.getByRole('status').first().textContent(), { timeout: 15_000 }).toMatch(/Sent TERM — KILL in \d+ s/);
    await expect.poll(() => row.locator('.col-state').textContent(), { timeout: 30_000 }).toBe('killed');
    for (const pid of pids) expect(pidAlive(pid), `pid ${pid} of task 2's tree`).toBe(false);
  });

  it('"Pause dispatch" stops new starts and resizing the pool changes the lanes in use', async () => {
    served = await serve([fixture('many.yaml')]);
    const page = await openPage(served.url);
    const lanesInUse = () => page.getByRole('region', { name: 'Task stream' }).locator('[data-slot][data-busy="true"]').count();
    await waitFor('two lanes busy', async () => (await lanesInUse()) === 2, 30_000);

    await page.getByRole('spinbutton', { name: 'Pool size' }).fill('4');
    await page.getByRole('spinbutton', { name: 'Pool size' }).press('Enter');
    await waitFor('four lanes busy', async () => (await lanesInUse()) === 4, 30_000);

    await page.getByRole('button', { name: 'Pause dispatch', exact: true }).click();
    await page.getByRole('button', { name: 'Resume dispatch', exact: true }).waitFor({ timeout: 10_000 });
    // Once the running ones end, nothing new starts: the running count drops to zero and stays.
    await waitFor('running tasks drain while paused', async () => (await lanesInUse()) === 0, 30_000);
    const startedWhilePaused = await page.getByRole('table', { name: 'Tasks' }).locator('[role=row] .col-state', { hasText: /^running$/ }).count();
    expect(startedWhilePaused).toBe(0);
    await page.getByRole('button', { name: 'Resume dispatch', exact: true }).click();
    await waitFor('dispatch resumes', async () => (await lanesInUse()) > 0, 30_000);

    // Shrinking the pool keeps the lanes that hold bars (dimmed): no bar vanishes with its slot.
    const stream = page.getByRole('region', { name: 'Task stream' });
    const barsBefore = await stream.locator('rect[data-seq]').count();
    await page.getByRole('spinbutton', { name: 'Pool size' }).fill('1');
    await page.getByRole('spinbutton', { name: 'Pool size' }).press('Enter');
    await waitFor('lanes 2-4 kept as gone slots', async () => (await stream.locator('[data-slot][data-gone="true"]').count()) === 3, 30_000);
    expect(await stream.locator('[data-slot]').count()).toBe(4);
    expect(await stream.locator('rect[data-seq]').count()).toBeGreaterThanOrEqual(barsBefore);
  });

  it('shows a pasted job file\'s error at its line', async () => {
    served = await serve([]);
    const page = await openPage(served.url);
    await pasteJob(page, badJobText);
    const problems = page.getByRole('alert').filter({ hasText: 'concurrency' });
    await expect.poll(() => problems.first().textContent(), { timeout: 15_000 }).toContain(
      '<pasted>:5:14: concurrency: expected auto, a positive integer or a percentage like 50%, got -2',
    );
  });
});
