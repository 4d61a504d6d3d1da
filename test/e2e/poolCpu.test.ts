import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeBrowser, fixture, openPage, serve, type Served } from './helpers.js';

// Pool CPU of short command tasks: before, every one ended between two samples and the chart
// stayed empty; their CPU measured at exit now shows as its own band and in the pool total.

let served: Served | null = null;
afterEach(async () => {
  await served?.stop();
  served = null;
});
afterAll(closeBrowser);

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
