import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, runJob } from './helpers.js';

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

  it('refuses a stretch that ends before it starts, naming the problem', async () => {
    const h = await runJob('name: one\ncommand: ["true"]\ninputs:\n  list: [a]\n');
    const r = await h.sup.call('getStream', { from: 10, to: 5, px: 100 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe('getStream: args: expected to after from');
  });
});
