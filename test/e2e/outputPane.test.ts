import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { describeViolations, runAxe } from './axe.js';
import { closeBrowser, fixture, openPage, serve, type Served } from './helpers.js';

// The output pane marks what a task wrote to stderr: colour, a rule at the left, and a group
// named "stderr" for screen readers.

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
