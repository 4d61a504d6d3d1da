import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseJoblog } from '../../../main/core/log/joblog.js';
import { cleanup, runJob, startJob, tempDir, waitFor, withDeadline, yamlList } from './helpers.js';
import { readFileSync } from 'node:fs';

// A module host runs quick tasks back to back and sends their begins and ends in one write; a
// task that ran long has its end sent before the next task begins, so it never waits behind it.
afterEach(cleanup);

/** "spin:MS" keeps the CPU busy MS ms; "block:FILE" blocks the host's event loop until FILE exists; "n:V" returns V. */
const MODULE = `import { existsSync } from 'node:fs';
export default (input) => {
  const [what, arg] = input.split(/:(.*)/s);
  if (what === 'spin') { const end = Date.now() + Number(arg); while (Date.now() < end); return 'spun'; }
  if (what === 'block') { while (!existsSync(arg)) { const t = Date.now() + 5; while (Date.now() < t); } return 'unblocked'; }
  return Number(arg) * 2;
};
`;

function jobText(dir: string, inputs: string[], extra = ''): string {
  const mod = join(dir, 'tasks.mjs');
  writeFileSync(mod, MODULE);
  return `name: host-batch\nmodule: ${JSON.stringify(mod)}\nconcurrency: 1\ninputs:\n  list: ${yamlList(inputs)}\n${extra}`;
}

describe('batched ends from a module host', () => {
  it('a long task has ended for the supervisor while the next one blocks its host', async () => {
    const dir = tempDir();
    const gate = join(dir, 'gate');
    const h = await startJob(jobText(dir, ['spin:60', `block:${gate}`]));
    await waitFor('task 2 to run', () => h.task(2).state === 'running' || null, 30_000);
    // Task 2 never yields the host's event loop: task 1's end left before task 2 began.
    expect(h.task(1)).toMatchObject({ state: 'done', outcome: 'ok' });
    writeFileSync(gate, '');
    await withDeadline(h.finished, 30_000, 'the job to end');
    expect(h.task(2)).toMatchObject({ state: 'done', outcome: 'ok' });
  });

  it('quick tasks sent in batches each keep their own record, result, host CPU and joblog row', async () => {
    const dir = tempDir();
    const joblog = join(dir, 'joblog.tsv');
    const n = 600;
    const inputs = Array.from({ length: n }, (_, i) => `n:${i + 1}`);
    const h = await runJob(jobText(dir, inputs).replace('concurrency: 1', 'concurrency: 2'), { joblog });
    const tasks = h.tasks();
    expect(tasks.filter((t) => t.state === 'done' && t.attempt === 1)).toHaveLength(n);
    expect(tasks.every((t) => t.cpuSeconds !== null && t.peakRss !== null && t.peakRss > 0)).toBe(true);
    expect(h.sup.taskResult(1)).toBe(2);
    expect(h.sup.taskResult(n)).toBe(2 * n);
    const rows = parseJoblog(readFileSync(joblog, 'utf8'));
    expect(rows.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(rows.every((r) => r.outcome === 'ok' && r.attempt === 1)).toBe(true);
  });
});
