import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeBrowser, fixture, openPage, serve, waitFor, type Served } from './helpers.js';

// The operator's views: the event log instead of a toast per failure, and a task stream that
// fits the run.

let served: Served | null = null;
afterEach(async () => {
  await served?.stop();
  served = null;
});
afterAll(closeBrowser);

describe('event log and task stream against corral serve (real processes)', () => {
  it('groups twenty failures with one reason into one line of the event log, with at most one toast', async () => {
    served = await serve([fixture('failures.yaml')]);
    const page = await openPage(served.url);
    // Watched while it runs: the failures arrive one by one, each would have been a toast.
    await expect.poll(() => page.getByTestId('job-state').textContent(), { timeout: 30_000 }).toBe('running');
    await expect.poll(() => page.getByTestId('job-state').textContent(), { timeout: 90_000 }).toBe('finished');
    const log = page.getByRole('region', { name: 'Event log' });
    await expect.poll(() => log.getByRole('list', { name: 'Events' }).textContent(), { timeout: 15_000 }).toContain('20 tasks failed: exit code 3');
    // The whole storm is one toast at most: the job's end.
    expect(await page.locator('.toasts > *').count()).toBeLessThanOrEqual(1);
    await expect.poll(() => page.locator('.toasts').textContent()).toContain('e2e-failures finished');
    // The group unfolds to its tasks; one opens the task.
    await log.getByText('20 tasks failed: exit code 3').click();
    await log.getByRole('button', { name: 'Open task 17', exact: true }).click();
    await page.getByRole('region', { name: 'Task 17' }).waitFor({ timeout: 15_000 });
    // Filtering to retries hides the failures.
    await log.getByRole('combobox', { name: 'Show events' }).selectOption('retry');
    expect(await log.getByText('No events of this kind.').count()).toBe(1);
  });

  it('spans a nine-second run edge to edge, and every bar is reachable by keyboard', async () => {
    served = await serve([fixture('nine.yaml')]);
    const page = await openPage(served.url);
    const stream = page.getByRole('region', { name: 'Task stream' });
    // While the run is young its first bars already start at the left edge.
    await waitFor('first bars', async () => (await stream.locator('rect[data-seq]').count()) >= 3, 60_000);
    await expect.poll(() => page.getByTestId('job-state').textContent(), { timeout: 60_000 }).toBe('finished');
    await waitFor('all nine bars ended', async () => (await stream.locator('rect[data-seq][data-status="ok"]').count()) === 9, 15_000);
    const plot = (await stream.locator('g.lane rect').first().boundingBox())!;
    const bars = await stream.locator('rect[data-seq]').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right })));
    const left = Math.min(...bars.map((b) => b.left));
    const right = Math.max(...bars.map((b) => b.right));
    // Edge to edge: within 3 % of the plot's width at each end (a tick of 1 s is 11 % of this run).
    expect(left - plot.x).toBeLessThan(plot.width * 0.03);
    expect(plot.x + plot.width - right).toBeLessThan(plot.width * 0.03);
    expect(left).toBeGreaterThanOrEqual(plot.x - 1);

    // Keyboard: focus the stream, walk to the first bar, read its card, open it with Enter.
    const svg = stream.getByRole('group', { name: /^Task stream:/ });
    await svg.focus();
    await page.keyboard.press('Home');
    await expect.poll(() => stream.getByTestId('bar-card').textContent()).toMatch(/^Task \d+ · attempt 1 · ok/);
    const first = Number(/^Task (\d+)/.exec((await stream.getByTestId('bar-card').textContent())!)![1]);
    await page.keyboard.press('ArrowRight');
    const second = Number(/^Task (\d+)/.exec((await stream.getByTestId('bar-card').textContent())!)![1]);
    expect(second).not.toBe(first);
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: `Task ${second}` }).waitFor({ timeout: 15_000 });

    // Zoom in halves the span shown; "Whole run" restores it.
    const span = async () => { const s = svg; return Number(await s.getAttribute('data-to')) - Number(await s.getAttribute('data-from')); };
    const whole = await span();
    await stream.getByRole('button', { name: 'Zoom in' }).click();
    expect(await span()).toBeCloseTo(whole / 2, 0);
    await stream.getByRole('button', { name: 'Whole run' }).click();
    expect(await span()).toBeCloseTo(whole, 0);
  });
});
