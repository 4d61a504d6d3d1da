import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../../renderer/store/seriesStore.js';
import { nextBar } from '../../../../renderer/views/streamKeys.js';
import { panBy, spanTicks, streamSpan, viewAround, viewOf, zoomBy } from '../../../../renderer/views/streamSpan.js';

const t0 = 1_000_000;

describe('streamSpan', () => {
  it('starts at the job start and grows in steps while the run is young', () => {
    expect(streamSpan(t0, null, t0 + 3_000, 300_000)).toEqual({ from: t0, to: t0 + 10_000 });
    expect(streamSpan(t0, null, t0 + 9_000, 300_000)).toEqual({ from: t0, to: t0 + 10_000 });
    expect(streamSpan(t0, null, t0 + 50_000, 300_000)).toEqual({ from: t0, to: t0 + 60_000 });
  });
  it('fits a finished run edge to edge', () => {
    expect(streamSpan(t0, t0 + 9_000, t0 + 60_000, 300_000)).toEqual({ from: t0, to: t0 + 9_000 });
  });
  it('scrolls once the run is longer than the window', () => {
    expect(streamSpan(t0, null, t0 + 400_000, 300_000)).toEqual({ from: t0 + 100_000, to: t0 + 400_000 });
    expect(streamSpan(null, null, t0, 300_000)).toEqual({ from: t0 - 10_000, to: t0 });
  });
  it('spans the whole run however long when there is no window (blocks carry the dense stretches)', () => {
    expect(streamSpan(t0, null, t0 + 400_000)).toEqual({ from: t0, to: t0 + 450_000 });
    expect(streamSpan(t0, null, t0 + 3 * 3_600_000 + 1)).toEqual({ from: t0, to: t0 + 3 * 3_600_000 + 600_000 });
    expect(streamSpan(t0, t0 + 5 * 3_600_000, t0 + 6 * 3_600_000)).toEqual({ from: t0, to: t0 + 5 * 3_600_000 });
  });
});

describe('zoom and pan', () => {
  const span = { from: 0, to: 80_000 };
  it('zooms around the centre and back out to the whole span', () => {
    const v = zoomBy(span, { zoom: 1, panMs: 0 }, 2);
    expect(viewOf(span, v)).toEqual({ from: 20_000, to: 60_000 });
    expect(zoomBy(span, v, 0.5)).toEqual({ zoom: 1, panMs: 0 });
  });
  it('pans within the span and no further', () => {
    const v = { zoom: 4, panMs: 0 };
    expect(viewOf(span, v)).toEqual({ from: 60_000, to: 80_000 });
    const earlier = panBy(span, panBy(span, panBy(span, panBy(span, panBy(span, panBy(span, panBy(span, v, -0.5), -0.5), -0.5), -0.5), -0.5), -0.5), -0.5);
    expect(viewOf(span, earlier)).toEqual({ from: 0, to: 20_000 });
    expect(viewOf(span, panBy(span, v, 0.5))).toEqual({ from: 60_000, to: 80_000 });
  });
});

describe('viewAround', () => {
  it('zooms so a block fills the view with a margin, deeper than the buttons go', () => {
    const span = { from: 0, to: 3_600_000 };
    const v = viewAround(span, 1_000_000, 1_000_400);
    const shown = viewOf(span, v);
    expect(shown.from).toBeLessThanOrEqual(1_000_000);
    expect(shown.to).toBeGreaterThanOrEqual(1_000_400);
    expect(shown.to - shown.from).toBeCloseTo(500, 0);
    expect(viewAround(span, 0, 3_600_000)).toEqual({ zoom: 1, panMs: 0 });
  });
});

describe('spanTicks', () => {
  it('labels run time at round steps', () => {
    expect(spanTicks({ from: t0, to: t0 + 9_000 }, t0).map((t) => t.label)).toEqual(['0s', '2s', '4s', '6s', '8s']);
    expect(spanTicks({ from: t0 + 100_000, to: t0 + 400_000 }, t0).map((t) => t.label)).toEqual(['2:00', '3:00', '4:00', '5:00', '6:00']);
  });
});

describe('keyboard over bars', () => {
  const bar = (seq: number, slot: number, start: number): Bar => ({ key: `${seq}:1`, seq, attempt: 1, slot, start, end: start + 10, status: 'ok' });
  const bars = [bar(1, 1, 0), bar(2, 2, 5), bar(3, 1, 20), bar(4, 2, 30)];
  it('moves in time with Left/Right, between lanes with Up/Down', () => {
    expect(nextBar(bars, null, 'ArrowLeft')?.seq).toBe(4);
    expect(nextBar(bars, bars[1], 'ArrowRight')?.seq).toBe(3);
    expect(nextBar(bars, bars[0], 'ArrowLeft')?.seq).toBe(1);
    expect(nextBar(bars, bars[2], 'ArrowDown')?.seq).toBe(4);
    expect(nextBar(bars, bars[2], 'ArrowUp')?.seq).toBe(3);
    expect(nextBar(bars, bars[2], 'Home')?.seq).toBe(1);
    expect(nextBar(bars, bars[2], 'x')).toBeUndefined();
  });
});
