import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeBrowser, openPage, serve, waitFor, type Served } from './helpers.js';

// What a user on a smaller screen sees: nothing they need is cut off or broken mid-figure.

let served: Served | null = null;
afterEach(async () => {
  await served?.stop();
  served = null;
});
afterAll(closeBrowser);

describe('dashboard layout on smaller windows (corral serve --demo)', () => {
  it('at 1280x720 every task action button lies inside the task table; at 1000 px no header figure wraps', async () => {
    served = await serve(['--demo']);
    const page = await openPage(served.url);
    await page.setViewportSize({ width: 1280, height: 720 });
    const table = page.getByRole('table', { name: 'Tasks' });
    // A running or stuck row shows all four actions: Stop, Kill, Pause, Show.
    await waitFor('a row with Pause', async () => (await table.getByRole('button', { name: /^Pause task \d+$/ }).count()) > 0, 60_000);
    const box = (await table.boundingBox())!;
    const buttons = await table.getByRole('button').evaluateAll((els) => els.map((e) => ({ name: e.getAttribute('aria-label') ?? e.textContent, right: e.getBoundingClientRect().right })));
    const clipped = buttons.filter((b) => b.right > box.x + box.width + 0.5).map((b) => b.name);
    expect.soft(clipped).toEqual([]);

    await page.setViewportSize({ width: 1000, height: 720 });
    const wrapped = await page.locator('.header .counts > div').evaluateAll((els) =>
      els.filter((e) => e.getBoundingClientRect().height > 1.6 * parseFloat(getComputedStyle(e).lineHeight || '18')).map((e) => e.textContent),
    );
    expect.soft(wrapped).toEqual([]);
    const overflow = await page.locator('.header').evaluate((h) => h.scrollWidth - h.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
