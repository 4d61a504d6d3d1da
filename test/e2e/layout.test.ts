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

  it('at 1024x700 nothing scrolls sideways and the stuck tasks sit near the top, above the charts and the table', async () => {
    served = await serve(['--demo']);
    const page = await openPage(served.url);
    await page.setViewportSize({ width: 1024, height: 700 });
    const stuck = page.getByRole('region', { name: 'Stuck tasks' });
    await waitFor('a stuck task listed', async () => (await stuck.locator('.stuck-list > [data-seq]').count()) > 0, 90_000);
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(sideways).toBeLessThanOrEqual(0);
    const top = (await stuck.boundingBox())!.y;
    const stream = (await page.getByRole('region', { name: 'Task stream' }).boundingBox())!.y;
    const table = (await page.getByRole('table', { name: 'Tasks' }).boundingBox())!.y;
    // Visible without scrolling, and before the stream and the table.
    expect(top).toBeLessThan(700 / 2);
    expect(top).toBeLessThan(stream);
    expect(top).toBeLessThan(table);
    // Opening a task keeps the page inside the window's width too.
    await stuck.getByRole('button', { name: /^Show task \d+$/ }).first().click();
    await page.locator('.detail-panel').waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  });
});
