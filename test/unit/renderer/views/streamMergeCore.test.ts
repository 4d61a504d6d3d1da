import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../../../main/contract/types.js';
import type { StreamSlice } from '../../../../main/contract/stream.js';
import { streamSlice, type StreamAttempt } from '../../../../main/core/pool/streamQuery.js';
import { mergeSlices } from '../../../../renderer/views/streamBuckets.js';

// The renderer keeps its own copy of the supervisor's bucket rule (it may not import core) to
// merge an answer of what ended since into the answer before. If the two copies drift, the merged
// stream silently differs from what asking again would draw. This checks the renderer's merge
// against the supervisor's own streamSlice, not against the renderer's simulator.

const outcomes: Outcome[] = ['ok', 'ok', 'ok', 'failed', 'timeout', 'killed', 'stuck-killed', 'interrupted', 'skipped'];

const drawing = (s: StreamSlice) => ({
  bars: s.bars.map((b) => `${b.seq}/${b.attempt}:${b.slot}:${b.start}-${b.end}:${b.outcome}`).sort(),
  blocks: s.blocks.map((b) => `${b.slot}:${b.from}-${b.to}:${b.count}:${b.ok}/${b.failed}/${b.killed}/${b.other}`).sort(),
});

describe("the renderer's merge against the supervisor's getStream", () => {
  it('merging what ended since draws what asking for the whole stretch again draws', () => {
    let compared = 0;
    let withBlocks = 0;
    fc.assert(
      fc.property(
        // Mostly attempts thinner than a bucket, some far wider: both blocks and bars.
        fc.array(fc.tuple(fc.integer({ min: 1, max: 6 }), fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 300, max: 900 })), fc.integer({ min: 0, max: 20 }), fc.constantFrom(...outcomes)), { minLength: 60, maxLength: 500 }),
        fc.integer({ min: 25, max: 200 }), // half the plot's width
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        (specs, half, cut) => {
          // Back-to-back attempts per slot: run length, then a gap.
          const ends = new Map<number, number>();
          const attempts: StreamAttempt[] = specs.map(([slot, run, gap, outcome], i) => {
            const start = (ends.get(slot) ?? 0) + gap;
            ends.set(slot, start + run);
            return { seq: i + 1, attempt: 1, slot, start, end: start + run, outcome, exitCode: outcome === 'failed' ? 3 : null, signal: null };
          });
          const last = Math.max(...attempts.map((a) => a.end));
          // A stretch of whole multiples of half the width: buckets of whole ms, so some attempts are
          // exactly a bucket long (the edge between a bar and a block).
          const q = { from: 0, to: Math.ceil(last / half) * half, px: 2 * half };
          const through = Math.round(last * cut);
          const first = streamSlice(attempts.filter((a) => a.end <= through), q, through);
          const since = streamSlice(attempts, { ...q, since: through, bucketMs: first.bucketMs }, q.to);
          const merged = mergeSlices(first, since);
          if (merged === null) return; // buckets widened or the merge too large: the renderer asks again in full
          const whole = streamSlice(attempts, q, q.to);
          expect(drawing(merged)).toEqual(drawing(whole));
          compared++;
          if (whole.blocks.length > 0 && whole.bars.length > 0) withBlocks++;
        },
      ),
      { numRuns: 200 },
    );
    // The comparison ran, on streams with both bars and blocks (not only on merges that gave up).
    expect(compared).toBeGreaterThan(150);
    expect(withBlocks).toBeGreaterThan(50);
  });
});
