import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeBrowser, openPage, serve, waitFor, type Served } from './helpers.js';

// The welcome screen's "Python" choice loads and starts the Python demo (issue 11).
let served: Served | null = null;
afterEach(async () => {
  await served?.stop();
  served = null;
});
afterAll(closeBrowser);

const count = async (page: Page, key: string) => Number(await page.locator(`.header [data-count="${key}"]`).textContent());

describe('welcome screen: Python demo', () => {
  it('"Python" runs the Python demo to its end: 12 done, 2 failed', async () => {
    served = await serve([]);
    const page = await openPage(served.url);
    await waitFor('welcome screen', async () => (await page.getByRole('button', { name: 'Python', exact: true }).count()) > 0, 30_000);
    await page.getByRole('button', { name: 'Python', exact: true }).click();
    await waitFor('the Python demo to end', async () => (await count(page, 'done')) + (await count(page, 'failed')) === 14, 150_000);
    expect(await count(page, 'done')).toBe(12);
    expect(await count(page, 'failed')).toBe(2);
    expect(await page.locator('body').textContent()).toContain('corral-python-demo');
  }, 180_000);
});
