import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeBytes } from '../../../main/core/job/bytes.js';
import { cleanup, runJob, startJob, tempDir, waitFor } from './helpers.js';

// Issue 9, item 22: every input became a full record at load (1 M inputs = +543 MiB) and a 3 M
// range died in getSnapshot. The heap a loaded job costs must not grow with its inputs.

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapNow(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

afterAll(cleanup);

async function loadedHeap(n: number): Promise<{ grew: number; h: Awaited<ReturnType<typeof startJob>> }> {
  const before = heapNow();
  const h = await startJob(`name: lazy-${n}\ncommand: "true"\ninputs:\n  range: { from: 1, to: ${n} }\n`, { start: false });
  return { grew: heapNow() - before, h };
}

describe('lazy inputs', () => {
  it('a 1 M-input range loads without a record per input (heap measured at 100 k and 1 M)', async () => {
    const small = await loadedHeap(100_000);
    const large = await loadedHeap(1_000_000);
    // A record per input made the 1 M job cost ~500 MB more than the 100 k one; now both cost the
    // same few MB (the dispatch bitset is 1 bit per input: 112 KB between the two).
    expect(large.grew - small.grew).toBeLessThan(8 * 1024 * 1024);
    expect(large.h.sup.run!.total).toBe(1_000_000);
    expect(large.h.sup.run!.store.heldCount).toBe(0);
  }, 120_000);

  it('a 3 M range: the snapshot carries the first page, getTasks any other, sorted and filtered', async () => {
    const h = await startJob(`name: lazy-3m\ncommand: "true"\ninputs:\n  range: { from: 1, to: 3000000 }\n`, { start: false });
    const snap = await h.sup.call('getSnapshot', {});
    if (!snap.ok) throw new Error(snap.error.message);
    expect(snap.value.job?.counts).toMatchObject({ total: 3_000_000, queued: 3_000_000 });
    expect(snap.value.tasks.map((t) => t.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const last = await h.sup.call('getTasks', { offset: 2_999_998, limit: 5 });
    if (!last.ok) throw new Error(last.error.message);
    expect(last.value.total).toBe(3_000_000);
    expect(last.value.tasks.map((t) => [t.seq, t.input, t.command, t.state])).toEqual([
      [2_999_999, '2999999', 'true 2999999', 'queued'], // no {}: the input is appended, as GNU parallel does
      [3_000_000, '3000000', 'true 3000000', 'queued'],
    ]);
    const desc = await h.sup.call('getTasks', { offset: 0, limit: 2, sort: 'input', desc: true });
    expect(desc.ok && desc.value.tasks.map((t) => t.seq)).toEqual([3_000_000, 2_999_999]);
    const none = await h.sup.call('getTasks', { offset: 0, limit: 10, filter: 'done' });
    expect(none.ok && none.value).toEqual({ total: 0, offset: 0, tasks: [] });
    const bad = await h.sup.call('getTasks', { offset: -1, limit: 5000 });
    expect(bad.ok ? null : bad.error.message).toBe('getTasks: offset: Too small: expected number to be >=0; limit: Too big: expected number to be <=2000');
  }, 120_000);

  it('ended tasks become compact rows: outputs stay readable, a failed one retried keeps its attempt count', async () => {
    const h = await runJob(`name: compact\ncommand: "echo out-{}; test {} -ne 7"\nconcurrency: 2\ninputs:\n  range: { from: 1, to: 40 }\n`);
    await waitFor('every ended record compacted (next tick)', () => h.sup.run!.store.heldCount === 0);
    const out = await h.sup.call('getTaskOutput', { seq: 12 });
    expect(out.ok && out.value.text).toBe('out-12\n');
    const seven = h.task(7);
    expect(seven).toMatchObject({ state: 'failed', outcome: 'failed', exitCode: 1, attempt: 1, pids: [] });
    expect(h.tasks().filter((t) => t.state === 'done')).toHaveLength(39);
    expect((await h.sup.call('retryTask', { seq: 7 })).ok).toBe(true);
    await h.sup.finished();
    await waitFor('the retried task compacted again', () => h.sup.run!.store.heldCount === 0);
    expect(h.task(7)).toMatchObject({ state: 'failed', attempt: 2 });
    const again = await h.sup.call('getTaskOutput', { seq: 7 });
    expect(again.ok && again.value.text).toBe('out-7\n\n--- attempt 2 ---\nout-7\n');
    const failed = await h.sup.call('getTasks', { offset: 0, limit: 10, filter: 'failed' });
    expect(failed.ok && failed.value.tasks.map((t) => [t.seq, t.attempt])).toEqual([[7, 2]]);
  }, 120_000);

  it('an inputs file with bytes that are not UTF-8: rows carry them exactly, read from the file when shown', async () => {
    const dir = tempDir();
    const lines = [Buffer.from('plain'), Buffer.from([0x66, 0xff, 0x6f]), Buffer.from('naïve')];
    writeFileSync(join(dir, 'inputs.txt'), Buffer.concat([lines[0], Buffer.from('\r\n'), lines[1], Buffer.from('\n\n'), lines[2]]));
    const h = await startJob(`name: raw\ncommand: "true"\ninputs:\n  file: ${join(dir, 'inputs.txt')}\n`, { start: false });
    const page = await h.sup.call('getTasks', { offset: 0, limit: 10 });
    if (!page.ok) throw new Error(page.error.message);
    expect(page.value.total).toBe(3);
    expect(page.value.tasks.map((t) => encodeBytes(t.input))).toEqual(lines);
  });
});
