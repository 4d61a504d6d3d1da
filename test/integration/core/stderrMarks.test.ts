import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, startJob, waitFor, withDeadline } from './helpers.js';

afterAll(cleanup);

// A command writing to both streams, by the spawn helper and by child_process.spawn: the output
// keeps one interleaved buffer, and getTaskOutput says which of its text is stderr, live and ended.
const job = (name: string) =>
  `name: ${name}\ncommand: [sh, -c, "echo out-1; echo err-1 >&2; sleep 0.3; echo out-2; printf 'err-\\\\377\\\\n' >&2; [ -e {} ] || sleep 30"]\ninputs:\n  list: [/nonexistent-${name}]\n`;

describe('stderr marked in task output', () => {
  for (const spawn of ['helper', 'direct'] as const) {
    it(`marks the stderr lines of a command (${spawn} spawn), while it runs and after it ended`, async () => {
      const h = await startJob(job(`both-${spawn}`), { spawn });
      const read = async () => {
        const r = await h.sup.call('getTaskOutput', { seq: 1 });
        if (!r.ok) throw new Error(r.error.message);
        return r.value;
      };
      const marked = (v: Awaited<ReturnType<typeof read>>) => (v.stderr ?? []).map(([a, b]) => v.text.slice(a, b));
      let live = await read();
      await waitFor('all four lines', async () => (live = await read()).text.includes('err-\ufffd'), 30_000);
      expect(h.task(1).state).not.toBe('done');
      expect(marked(live)).toEqual(['err-1\n', 'err-\ufffd\n']);
      expect(live.text.replace('err-1\n', '').replace('err-\ufffd\n', '')).toBe('out-1\nout-2\n');
      // Byte offsets: the invalid byte is one byte, its U+FFFD three when re-encoded.
      expect(live.end).toBe(live.total);
      expect(live.total).toBe('out-1\nerr-1\nout-2\nerr-\n'.length + 1);
      await h.sup.call('killTask', { seq: 1, mode: 'force' });
      await withDeadline(h.finished, 30_000, 'the task to be killed');
      const ended = await read();
      expect(marked(ended)).toEqual(['err-1\n', 'err-\ufffd\n']);
    });
  }
});
