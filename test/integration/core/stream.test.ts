import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cleanup, runJob, tempDir } from './helpers.js';

afterAll(cleanup);

// getStream over a real run: every attempt is in the answer, as a bar or in a block, and the
// blocks open into bars when the stretch asked for is narrow.
describe('getStream', () => {
  it('covers every attempt of a run with more attempts than pixels, and zooming in gives bars', async () => {
    const h = await runJob('name: dense\ncommand: [sh, -c, "exit $(( {} % 50 == 0 ))"]\ninputs:\n  range: { from: 1, to: 400 }\nconcurrency: 4\n', { deadlineMs: 120_000 });
    const tasks = h.tasks();
    const from = Math.min(...tasks.map((t) => t.startedAt!));
    const to = Math.max(...tasks.map((t) => t.endedAt!));
    const whole = await h.sup.call('getStream', { from, to, px: 40 });
    if (!whole.ok) throw new Error(whole.error.message);
    const s = whole.value;
    expect(s.blocks.length).toBeGreaterThan(0);
    expect(s.blocks.reduce((n, b) => n + b.count, 0) + s.bars.length).toBe(400);
    expect(s.blocks.reduce((n, b) => n + b.failed, 0) + s.bars.filter((b) => b.outcome === 'failed').length).toBe(8);
    // Zoomed on the first block: its attempts come back as bars.
    const b = s.blocks[0];
    const zoomed = await h.sup.call('getStream', { from: b.from, to: b.to, px: Math.max(1, Math.min(10_000, (b.to - b.from) * 4)) });
    if (!zoomed.ok) throw new Error(zoomed.error.message);
    const inBlock = zoomed.value.bars.filter((x) => x.slot === b.slot && x.start >= b.from && x.end <= b.to);
    expect(inBlock.length).toBe(b.count);
  });

  it('keeps every attempt of a retried task: failed twice then ok is three bars, each saying how it ended', async () => {
    // Each input counts its attempts in a file: exit 3 on the first two, 0 on the third.
    const dir = tempDir('corral-stream-');
    const count = join(dir, '{}.n');
    const script = `n=$(( $(cat ${count} 2>/dev/null || echo 0) + 1 )); echo $n > ${count}; [ $n -ge 3 ] || exit 3`;
    const h = await runJob(`name: retried\ncommand: [sh, -c, ${JSON.stringify(script)}]\ninputs:\n  list: [a, b]\nretries: 2\nconcurrency: 2\n`, { deadlineMs: 60_000 });
    const tasks = h.tasks();
    expect(tasks.map((t) => [t.attempt, t.outcome])).toEqual([[3, 'ok'], [3, 'ok']]);
    const from = Math.min(...tasks.map((t) => t.startedAt!)) - 1000;
    const r = await h.sup.call('getStream', { from, to: Date.now() + 1000, px: 10_000 });
    if (!r.ok) throw new Error(r.error.message);
    const bars = r.value.bars.filter((b) => b.seq === 1).sort((a, b) => a.attempt - b.attempt);
    expect(bars.map((b) => [b.attempt, b.of, b.outcome, b.ended])).toEqual([
      [1, 3, 'failed', 'failed, exit 3'],
      [2, 3, 'failed', 'failed, exit 3'],
      [3, 3, 'ok', undefined],
    ]);
    expect(bars[0].end).toBeLessThanOrEqual(bars[1].start);
    expect(r.value.bars.filter((b) => b.seq === 2)).toHaveLength(3);
    expect(r.value.droppedAttempts).toBe(0);
    // What ended since a time holds only the later attempts.
    const since = await h.sup.call('getStream', { from, to: Date.now() + 1000, px: 10_000, since: bars[1].end, bucketMs: r.value.bucketMs });
    if (!since.ok) throw new Error(since.error.message);
    expect(since.value.bars.filter((b) => b.seq === 1).map((b) => b.attempt)).toEqual([3]);
  });

  it('refuses a stretch that ends before it starts, naming the problem', async () => {
    const h = await runJob('name: one\ncommand: ["true"]\ninputs:\n  list: [a]\n');
    const r = await h.sup.call('getStream', { from: 10, to: 5, px: 100 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe('getStream: args: expected to after from');
  });
});
