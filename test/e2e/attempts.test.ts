import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { describeViolations, runAxe } from './axe.js';
import { closeBrowser, openPage, serve, type Served } from './helpers.js';

// Every attempt kept in the task stream (issue 13), against corral serve with real processes: a
// task that fails twice and then succeeds (retries: 2) is three bars, each named and carded with
// its place among the task's attempts and how it ended.

let served: Served | null = null;
let dir: string | null = null;
afterEach(async () => {
  await served?.stop();
  served = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});
afterAll(closeBrowser);

describe('every attempt in the task stream (real processes)', () => {
  it('draws a task that failed twice then passed as three bars, reachable by name and by keyboard', async () => {
    dir = mkdtempSync(join(tmpdir(), 'corral-e2e-attempts-'));
    const count = join(dir, '{}.n');
    const script = `n=$(( $(cat ${count} 2>/dev/null || echo 0) + 1 )); echo $n > ${count}; sleep 0.3; [ $n -ge 3 ] || exit 3`;
    const job = join(dir, 'retried.yaml');
    writeFileSync(job, `name: retried\ncommand: [sh, -c, ${JSON.stringify(script)}]\ninputs:\n  list: [only]\nretries: 2\nconcurrency: 1\n`);
    served = await serve([job]);
    const page = await openPage(served.url);
    await expect.poll(() => page.getByTestId('job-state').textContent(), { timeout: 60_000 }).toBe('finished');
    const stream = page.getByRole('region', { name: 'Task stream' });
    // By accessible name: the two failed attempts and the last one, each its own bar.
    for (const name of ['Task 1, attempt 1 of 3, failed, exit 3', 'Task 1, attempt 2 of 3, failed, exit 3', 'Task 1, attempt 3 of 3, ok']) {
      await expect.poll(() => stream.getByRole('button', { name, exact: true }).count(), { timeout: 30_000 }).toBe(1);
    }
    // By keyboard: the first bar's card says which attempt it was and how it ended.
    const svg = stream.getByRole('group', { name: /^Task stream:/ });
    await svg.focus();
    await page.keyboard.press('Home');
    const card = stream.getByTestId('bar-card');
    await expect.poll(() => card.textContent()).toMatch(/^Task 1 · attempt 1 of 3: failed, exit 3/);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => card.textContent()).toMatch(/^Task 1 · attempt 2 of 3: failed, exit 3/);
    const report = describeViolations('stream with retried attempts', (await runAxe(page)).violations);
    expect(report, report).toBe('');
  });
});
