import { memo, useCallback, useMemo, useRef } from 'react';
import { useApp, useValue, useVersion } from '../app/context.js';
import { useElementWidth, usePalette, type Palette } from '../app/dom.js';
import { formatDuration } from '../lib/format.js';
import type { Bar } from '../store/seriesStore.js';
import { streamAxisLabels, streamWindowMs } from './chartData.js';

// Dask-style task stream in SVG: a lane per slot, a bar per attempt over the last minutes.
// Bars are laid out in absolute time from a fixed origin and the whole layer slides with one
// transform. Ended bars live in 30 s chunks that re-render only when one of their bars changed;
// a tick re-renders the running bars (they grow) and the newest and oldest chunks.

const gutter = 34;
const axisH = 16;

export function TaskStream() {
  const { series, job: jobStore, ui } = useApp();
  useVersion(series);
  const job = useValue(jobStore.job);
  const clock = useValue(jobStore.clock);
  const slots = useValue(jobStore.slots);
  const palette = usePalette();
  const [ref, width] = useElementWidth<HTMLDivElement>();
  // A young job gets a shorter span, so its first bars are not a sliver at the right edge.
  const windowMs = streamWindowMs(job?.startedAt ? Math.max(0, clock.time - job.startedAt) : null, series.limits.barWindowMs);
  const onSelect = useCallback((seq: number) => ui.selected.set(seq), [ui]);

  const laneCount = Math.max(job?.poolSize ?? 0, 0);
  const lanes = useMemo(() => Array.from({ length: laneCount }, (_, i) => i + 1), [laneCount]);
  const busy = useMemo(() => new Set(slots.filter((s) => s.taskSeq !== null).map((s) => s.slot)), [slots]);
  const laneH = laneCount > 32 ? 6 : laneCount > 16 ? 9 : laneCount > 8 ? 14 : 20;
  const height = Math.max(laneCount, 1) * laneH + axisH;
  const plotW = Math.max(0, width - gutter);
  const scale = plotW / windowMs; // px per ms
  const now = clock.time;
  // A fixed origin keeps every bar's x stable for the life of the view.
  const originRef = useRef<number | null>(null);
  if (originRef.current === null && now > 0) originRef.current = now - windowMs;
  const origin = originRef.current ?? 0;
  const shift = -((now - windowMs - origin) * scale);
  const { running, chunks } = series.barLayers();
  const layout = useMemo(() => ({ origin, scale, laneH, laneCount, palette, onSelect }), [origin, scale, laneH, laneCount, palette, onSelect]);

  return (
    <div ref={ref} className="stream">
      {width > 0 && (
        <svg width={width} height={height} role="img" aria-label={`Task stream: ${laneCount} slots, last ${Math.round(windowMs / 60000)} minutes`}>
          <defs>
            <clipPath id="stream-clip">
              <rect x={gutter} y={0} width={plotW} height={height} />
            </clipPath>
          </defs>
          {lanes.map((slot, i) => (
            <Lane key={slot} slot={slot} y={i * laneH} h={laneH} w={plotW} busy={busy.has(slot)} />
          ))}
          <g clipPath="url(#stream-clip)">
            <g transform={`translate(${gutter + shift},0)`}>
              {chunks.map(([key, bars]) => (
                <Bars key={key} bars={bars} layout={layout} now={0} />
              ))}
              <Bars bars={running} layout={layout} now={now} />
            </g>
          </g>
          <TimeAxis y={laneCount * laneH} x0={gutter} width={plotW} windowMs={windowMs} />
        </svg>
      )}
      <Legend palette={palette} />
    </div>
  );
}

const Lane = memo(function Lane({ slot, y, h, w, busy }: { slot: number; y: number; h: number; w: number; busy: boolean }) {
  return (
    <g data-slot={slot} data-busy={busy ? 'true' : 'false'} className="lane">
      <rect x={gutter} y={y} width={w} height={h} fill={slot % 2 ? 'var(--lane-even)' : 'var(--lane-odd)'} />
      {h >= 9 && (
        <text x={gutter - 6} y={y + h / 2} dy="0.35em" textAnchor="end" className="lane-label">
          {slot}
        </text>
      )}
    </g>
  );
});

interface BarLayout {
  origin: number;
  scale: number;
  laneH: number;
  laneCount: number;
  palette: Palette;
  onSelect: (seq: number) => void;
}

/** A group of bars; re-renders only when its array (or the layout, or `now` for running bars) changes. */
const Bars = memo(function Bars({ bars, layout: l, now }: { bars: Bar[]; layout: BarLayout; now: number }) {
  return (
    <g>
      {bars.map((b) =>
        b.slot > l.laneCount ? null : (
          <BarRect
            key={b.key}
            bar={b}
            y={(b.slot - 1) * l.laneH + 1}
            h={l.laneH - 2}
            origin={l.origin}
            scale={l.scale}
            now={b.end === null ? now : 0}
            palette={l.palette}
            onSelect={l.onSelect}
          />
        ),
      )}
    </g>
  );
});

const BarRect = memo(function BarRect(p: {
  bar: Bar; y: number; h: number; origin: number; scale: number; now: number; palette: Palette; onSelect: (seq: number) => void;
}) {
  const { bar } = p;
  const end = bar.end ?? p.now;
  const x = (bar.start - p.origin) * p.scale;
  const w = Math.max(1.5, (end - bar.start) * p.scale - 1);
  return (
    <rect
      data-seq={bar.seq}
      data-status={bar.status}
      x={x}
      y={p.y}
      width={w}
      height={Math.max(1, p.h)}
      rx={1}
      fill={p.palette.status[bar.status]}
      onClick={() => p.onSelect(bar.seq)}
    >
      <title>{`Task ${bar.seq} · attempt ${bar.attempt} · ${bar.status} · ${formatDuration(end - bar.start)}`}</title>
    </rect>
  );
});

const TimeAxis = memo(function TimeAxis({ y, x0, width, windowMs }: { y: number; x0: number; width: number; windowMs: number }) {
  const labels = streamAxisLabels(windowMs);
  return (
    <g className="axis">
      {labels.map(({ at, label }, i) => (
        <text key={label} x={x0 + at * width} y={y + 12} textAnchor={i === 0 ? 'start' : i === labels.length - 1 ? 'end' : 'middle'}>
          {label}
        </text>
      ))}
    </g>
  );
});

const Legend = memo(function Legend({ palette }: { palette: Palette }) {
  const items: (keyof Palette['status'])[] = ['running', 'ok', 'failed', 'killed', 'interrupted', 'suspect', 'stuck', 'stopping'];
  return (
    <ul className="legend" aria-label="Task stream legend">
      {items.map((k) => (
        <li key={k}>
          <span className="swatch" style={{ background: palette.status[k] }} />
          {k}
        </li>
      ))}
    </ul>
  );
});
