import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeBrowser, fixture, openPage, serve, waitFor, type Served } from './helpers.js';

// A run with more attempts than the stream has pixels: dense stretches are blocks (no gaps, every
// attempt counted), a block has a card and keyboard focus, and zooming into one shows its bars.

let served: Served | null = null;
afterEach(async () => {
  await served?.stop();
  served = null;
});
afterAll(closeBrowser);

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
