import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { describeViolations, runAxe } from './axe.js';
import { closeBrowser, fixture, openPage, repoRoot, serve, waitFor, type Served } from './helpers.js';

// Views of issue 13's last part, against corral serve with real processes: the output pane marks
// stderr (colour, a left rule, a group named "stderr"); the Pool CPU chart shows tasks shorter
// than a tick (their CPU measured at exit); the task stream draws a run with more attempts than
// pixels as bars and blocks, and a block zooms into its bars.

let served: Served | null = null;
afterEach(async () => {
  await served?.stop();
  served = null;
});
afterAll(closeBrowser);

describe('output pane against corral serve (real processes)', () => {
  it('marks the stderr line of a task and not its stdout lines, with no axe violation in either theme', async () => {
    served = await serve([fixture('stderr.yaml')]);
    const page = await openPage(served.url);
    await expect.poll(() => page.getByTestId('job-state').textContent(), { timeout: 60_000 }).toBe('finished');
    await page.getByRole('button', { name: 'Show task 1', exact: true }).first().click();
    const pane = page.getByRole('region', { name: 'Task 1' }).getByRole('log', { name: 'Output of task 1' });
    await expect.poll(() => pane.textContent(), { timeout: 15_000 }).toContain('plain-again-a');
    const marked = pane.getByRole('group', { name: 'stderr' });
    expect(await marked.allTextContents()).toEqual(['oops-err-a']);
    // The non-colour cue: a rule at the left of the stderr line.
    expect(await marked.evaluate((e) => getComputedStyle(e).borderLeftStyle)).toBe('solid');
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const { violations } = await runAxe(page);
      const report = describeViolations(`output pane, ${scheme}`, violations);
      expect(report, report).toBe('');
    }
  });
});

describe('Pool CPU chart against corral serve (real processes)', () => {
  it('shows the CPU of 200 tiny CPU-busy commands', async () => {
    served = await serve([fixture('tiny.yaml')]);
    const page = await openPage(served.url);
    await expect.poll(() => page.getByTestId('job-state').textContent(), { timeout: 120_000 }).toBe('finished');
    const legend = page.getByRole('list', { name: 'Pool CPU legend' });
    await expect.poll(() => legend.textContent(), { timeout: 15_000 }).toContain('tasks ended between samples (CPU at exit)');
    // The pool-total line leaves the zero line somewhere: its path spans more than one y.
    const ys = await page
      .getByRole('region', { name: 'Pool CPU' })
      .locator('path.recharts-curve')
      .first()
      .evaluate((p) => [...(p.getAttribute('d') ?? '').matchAll(/[ML]\s*[\d.]+[ ,]([\d.]+)/g)].map((m) => Number(m[1])));
    expect(new Set(ys).size).toBeGreaterThan(1);
  });
});

describe('task stream blocks against corral serve (real processes)', () => {
  it('shows every one of 2 000 attempts as a bar or in a block, and a block zooms into bars', async () => {
    served = await serve([fixture('dense.yaml')]);
    const page = await openPage(served.url);
    await expect.poll(() => page.getByTestId('job-state').textContent(), { timeout: 180_000 }).toBe('finished');
    const stream = page.getByRole('region', { name: 'Task stream' });
    const svg = stream.getByRole('group', { name: /^Task stream:/ });
    const counted = async () => {
      const blocks = await stream.locator('rect[data-block]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-block'))));
      const bars = await stream.locator('rect[data-seq]').evaluateAll((els) => new Set(els.map((e) => e.getAttribute('data-seq'))).size);
      return { blocks: blocks.length, attempts: blocks.reduce((a, b) => a + b, 0) + bars };
    };
    // The whole run: blocks where the attempts are thinner than a pixel, and none left out.
    await waitFor('every attempt drawn', async () => (await counted()).attempts === 2000, 30_000);
    expect((await counted()).blocks).toBeGreaterThan(0);
    expect(await svg.getAttribute('aria-label')).toMatch(/blocks of dense attempts/);
    const whole = Number(await svg.getAttribute('data-to')) - Number(await svg.getAttribute('data-from'));
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const report = describeViolations(`stream with blocks, ${scheme}`, (await runAxe(page)).violations);
      expect(report, report).toBe('');
    }

    // Keyboard: walk to a block; its card names the attempts; Enter zooms into it.
    await svg.focus();
    await page.keyboard.press('Home');
    const card = stream.getByTestId('bar-card');
    for (let i = 0; i < 200 && !/^\d+ attempts/.test((await card.textContent()) ?? ''); i++) await page.keyboard.press('ArrowRight');
    const text = (await card.textContent())!;
    expect(text).toMatch(/^\d+ attempts(, \d+ failed)?, \d\d:\d\d:\d\d–\d\d:\d\d:\d\d/);
    const active = page.locator(`[id="${await svg.getAttribute('aria-activedescendant')}"]`);
    expect(await active.getAttribute('aria-label')).toBe(`Block of ${text.replace(/slot \d+ · Enter or click zooms in to its bars$/, '').trim()}, in slot ${/slot (\d+)/.exec(text)![1]}`);
    const count = Number(/^(\d+) attempts/.exec(text)![1]);
    await page.keyboard.press('Enter');
    const shown = async () => Number(await svg.getAttribute('data-to')) - Number(await svg.getAttribute('data-from'));
    await expect.poll(shown).toBeLessThan(whole / 4);
    // Zoomed in, the supervisor sends that stretch's attempts as bars: at least the block's count
    // of distinct tasks are drawn inside the plot (the view is the block plus a margin).
    const plot = (await stream.locator('g.lane rect').first().boundingBox())!;
    const barsInView = () =>
      stream.locator('rect[data-seq]').evaluateAll(
        (els, box) => new Set(els.filter((e) => { const r = e.getBoundingClientRect(); return r.right > box.x && r.left < box.x + box.width; }).map((e) => e.getAttribute('data-seq'))).size,
        plot,
      );
    await expect.poll(barsInView, { timeout: 30_000 }).toBeGreaterThanOrEqual(count);
  });
});

describe('docs screenshots (CORRAL_SCREENSHOTS=1 writes them) and axe on what they show', () => {
  it('the demo running, a stuck task open, and the light theme', async () => {
    served = await serve(['--demo']);
    const page = await openPage(served.url);
    const shots = process.env.CORRAL_SCREENSHOTS === '1';
    const noViolations = async (where: string) => {
      const { violations } = await runAxe(page);
      const report = describeViolations(where, violations);
      expect(report, report).toBe('');
    };
    await page.emulateMedia({ colorScheme: 'dark' });
    const stuck = page.getByRole('region', { name: 'Stuck tasks' }).locator('[data-seq]').first();
    await stuck.waitFor({ timeout: 90_000 });
    await waitFor('pool CPU chart drawn', async () => (await page.getByRole('region', { name: 'Pool CPU' }).locator('path.recharts-curve').count()) > 0, 30_000);
    if (shots) await page.screenshot({ path: join(repoRoot, 'docs/screenshot.png') });
    await noViolations('demo running, dark');
    const seq = await stuck.getAttribute('data-seq');
    await page.getByRole('button', { name: `Show task ${seq}`, exact: true }).first().click();
    const detail = page.getByRole('region', { name: `Task ${seq}` });
    await waitFor('process tree in the detail', async () => (await detail.getByRole('table', { name: 'Process tree' }).locator('tbody tr').count()) > 0, 30_000);
    if (shots) await page.screenshot({ path: join(repoRoot, 'docs/screenshot-stuck.png') });
    await noViolations('stuck task open, dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    if (shots) await page.screenshot({ path: join(repoRoot, 'docs/screenshot-light.png') });
    await noViolations('stuck task open, light');
  });
});
