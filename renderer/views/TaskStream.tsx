import { memo, useCallback, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useApp, useValue, useVersion } from '../app/context.js';
import { useElementWidth, usePalette, type Palette } from '../app/dom.js';
import { formatDuration } from '../lib/format.js';
import type { Bar, BarLayers } from '../store/seriesStore.js';
import { panBy, spanTicks, streamSpan, viewOf, zoomBy, type Span, type View } from './streamSpan.js';
import { nextBar } from './streamKeys.js';

// Dask-style task stream in SVG: a lane per slot, a bar per attempt. The time axis spans the run
// so far (then scrolls); zoom and pan narrow it. Bars are laid out from a fixed origin and the
// layer slides with one transform; ended bars live in 30 s chunks that re-render only when one of
// their bars changed. One focusable group with an active bar makes every bar keyboard-reachable
// without putting thousands of stops in the Tab order.

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
  const [view, setView] = useState<View>({ zoom: 1, panMs: 0 });
  const [active, setActive] = useState<string | null>(null);
  const [hover, setHover] = useState<string | null>(null);
  const onSelect = useCallback((seq: number) => ui.selected.set(seq), [ui]);

  const now = clock.time;
  const layers = series.barLayers();
  // Lanes stay for slots that still have bars after the pool shrank: no bar vanishes.
  const laneCount = Math.max(job?.poolSize ?? 0, maxSlot(layers));
  const lanes = useMemo(() => Array.from({ length: laneCount }, (_, i) => i + 1), [laneCount]);
  const busy = useMemo(() => new Set(slots.filter((s) => s.taskSeq !== null).map((s) => s.slot)), [slots]);
  const laneH = laneCount > 32 ? 6 : laneCount > 16 ? 9 : laneCount > 8 ? 14 : 20;
  const height = Math.max(laneCount, 1) * laneH + axisH;
  const plotW = Math.max(0, width - gutter);

  const span = streamSpan(job?.startedAt ?? null, job?.endedAt ?? null, now, series.limits.barWindowMs);
  const shown = viewOf(span, view);
  const scale = plotW / Math.max(1, shown.to - shown.from); // px per ms
  // A fixed origin keeps every bar's x stable while the scale holds.
  const originRef = useRef<number | null>(null);
  if (originRef.current === null && now > 0) originRef.current = job?.startedAt ?? now;
  const origin = job?.startedAt ?? originRef.current ?? 0;
  const shift = -((shown.from - origin) * scale);
  const layout = useMemo(() => ({ origin, scale, laneH, laneCount, palette, onSelect, onHover: setHover }), [origin, scale, laneH, laneCount, palette, onSelect]);

  // Looked up only while something is active or hovered: no per-tick cost otherwise.
  const activeBar = findBar(layers, active);
  const cardBar = findBar(layers, hover) ?? activeBar;

  const onKey = (e: KeyboardEvent<SVGSVGElement>) => {
    if (e.key === '+' || e.key === '=') setView((v) => zoomBy(span, v, 2));
    else if (e.key === '-') setView((v) => zoomBy(span, v, 0.5));
    else if (e.key === '0') setView({ zoom: 1, panMs: 0 });
    else if ((e.key === 'Enter' || e.key === ' ') && activeBar) onSelect(activeBar.seq);
    else {
      const next = nextBar(allBars(layers), activeBar ?? null, e.key);
      if (next === undefined) return;
      setActive(next.key);
      setView((v) => reveal(span, v, next, now));
    }
    e.preventDefault();
    e.stopPropagation();
  };

  const label = `Task stream: ${laneCount} slots, ${formatDuration(shown.to - shown.from)} shown. Arrow keys move between bars, Enter opens the task, + and − zoom.`;
  return (
    <div ref={ref} className="stream">
      <StreamControls span={span} view={view} setView={setView} />
      {width > 0 && (
        <div className="stream-plot">
          <svg
            width={width}
            height={height}
            role="group"
            aria-label={label}
            tabIndex={0}
            aria-activedescendant={activeBar ? barId(activeBar) : undefined}
            onKeyDown={onKey}
            onFocus={() => setActive((a) => a ?? allBars(layers).at(-1)?.key ?? null)}
            data-from={shown.from}
            data-to={shown.to}
          >
            <defs>
              <clipPath id="stream-clip">
                <rect x={gutter} y={0} width={plotW} height={height} />
              </clipPath>
            </defs>
            {lanes.map((slot, i) => (
              <Lane key={slot} slot={slot} y={i * laneH} h={laneH} w={plotW} busy={busy.has(slot)} gone={slot > (job?.poolSize ?? 0)} />
            ))}
            <g clipPath="url(#stream-clip)">
              <g transform={`translate(${gutter + shift},0)`}>
                {layers.chunks.map(([key, bars]) => (
                  <Bars key={key} bars={bars} layout={layout} now={0} />
                ))}
                <Bars bars={layers.running} layout={layout} now={now} />
                {activeBar && <FocusRing bar={activeBar} layout={layout} now={now} />}
              </g>
            </g>
            <TimeAxis y={laneCount * laneH} x0={gutter} width={plotW} view={shown} origin={origin} />
          </svg>
          {cardBar && <BarCard bar={cardBar} now={now} origin={origin} x={gutter + shift + (cardBar.start - origin) * scale} width={width} y={(cardBar.slot - 1) * laneH + laneH} />}
        </div>
      )}
      <Legend palette={palette} />
      <SlotKills busy={busy} />
    </div>
  );
}

/** "Kill slot N" for each busy slot: ends the task there at once (its tree is force-killed). */
function SlotKills({ busy }: { busy: ReadonlySet<number> }) {
  const { actions } = useApp();
  const slots = [...busy].sort((a, b) => a - b);
  if (slots.length === 0) return null;
  return (
    <details className="slot-kills">
      <summary>Kill a slot's task…</summary>
      <div className="slot-kill-buttons">
        {slots.map((slot) => (
          <button key={slot} type="button" className="mini danger" onClick={() => void actions.killSlot(slot, 'force')}>
            Kill slot {slot}
          </button>
        ))}
      </div>
    </details>
  );
}

function maxSlot(l: BarLayers): number {
  let m = 0;
  for (const b of l.running) m = Math.max(m, b.slot);
  for (const [, bars] of l.chunks) for (const b of bars) m = Math.max(m, b.slot);
  return m;
}

function findBar(l: BarLayers, key: string | null): Bar | undefined {
  if (key === null) return undefined;
  return l.running.find((b) => b.key === key) ?? l.chunks.flatMap(([, bars]) => bars).find((b) => b.key === key);
}

function allBars(l: BarLayers): Bar[] {
  const out = l.chunks.flatMap(([, bars]) => bars).concat(l.running);
  return out.sort((a, b) => a.start - b.start || a.slot - b.slot);
}

const barId = (b: Bar) => `bar-${b.seq}-${b.attempt}`;

/** Pans so a bar chosen by keyboard is inside the view. */
function reveal(span: Span, v: View, bar: Bar, now: number): View {
  const shown = viewOf(span, v);
  const end = bar.end ?? now;
  if (bar.start >= shown.from && bar.start <= shown.to) return v;
  const width = shown.to - shown.from;
  const to = Math.min(span.to, Math.max(span.from + width, bar.start + width / 2, end));
  return { ...v, panMs: span.to - to };
}

function StreamControls({ span, view, setView }: { span: Span; view: View; setView: (f: (v: View) => View) => void }) {
  const zoomed = view.zoom > 1;
  return (
    <div className="stream-controls" role="toolbar" aria-label="Task stream zoom">
      <button type="button" className="ghost mini" onClick={() => setView((v) => zoomBy(span, v, 2))} disabled={view.zoom >= 64}>
        Zoom in
      </button>
      <button type="button" className="ghost mini" onClick={() => setView((v) => zoomBy(span, v, 0.5))} disabled={!zoomed}>
        Zoom out
      </button>
      <button type="button" className="ghost mini" onClick={() => setView((v) => panBy(span, v, -0.5))} disabled={!zoomed || viewOf(span, view).from <= span.from}>
        Earlier
      </button>
      <button type="button" className="ghost mini" onClick={() => setView((v) => panBy(span, v, 0.5))} disabled={!zoomed || view.panMs <= 0}>
        Later
      </button>
      <button type="button" className="ghost mini" onClick={() => setView(() => ({ zoom: 1, panMs: 0 }))} disabled={!zoomed}>
        Whole run
      </button>
    </div>
  );
}

const Lane = memo(function Lane({ slot, y, h, w, busy, gone }: { slot: number; y: number; h: number; w: number; busy: boolean; gone: boolean }) {
  return (
    <g data-slot={slot} data-busy={busy ? 'true' : 'false'} data-gone={gone ? 'true' : undefined} className="lane">
      <rect x={gutter} y={y} width={w} height={h} fill={slot % 2 ? 'var(--lane-even)' : 'var(--lane-odd)'} opacity={gone ? 0.5 : 1} />
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
  onHover: (key: string | null) => void;
}

/** A group of bars; re-renders only when its array (or the layout, or `now` for running bars) changes. */
const Bars = memo(function Bars({ bars, layout: l, now }: { bars: Bar[]; layout: BarLayout; now: number }) {
  return (
    <g>
      {bars.map((b) => (
        <BarRect key={b.key} bar={b} y={(b.slot - 1) * l.laneH + 1} h={l.laneH - 2} layout={l} now={b.end === null ? now : 0} />
      ))}
    </g>
  );
});

const BarRect = memo(function BarRect({ bar, y, h, layout: l, now }: { bar: Bar; y: number; h: number; layout: BarLayout; now: number }) {
  const end = bar.end ?? now;
  const x = (bar.start - l.origin) * l.scale;
  const w = Math.max(1.5, (end - bar.start) * l.scale - 1);
  const colour = l.palette.status[bar.status];
  // Suspect is a hint, not a verdict: hollow and dashed, where stuck is solid.
  const hint = bar.status === 'suspect';
  return (
    <rect
      id={barId(bar)}
      role="button"
      aria-label={`Task ${bar.seq}, attempt ${bar.attempt}, ${bar.status}`}
      data-seq={bar.seq}
      data-status={bar.status}
      x={x}
      y={y}
      width={w}
      height={Math.max(1, h)}
      fill={colour}
      fillOpacity={hint ? 0.35 : 1}
      stroke={hint ? colour : undefined}
      strokeDasharray={hint ? '3 2' : undefined}
      onClick={() => l.onSelect(bar.seq)}
      onMouseEnter={() => l.onHover(bar.key)}
      onMouseLeave={() => l.onHover(null)}
    />
  );
});

function FocusRing({ bar, layout: l, now }: { bar: Bar; layout: BarLayout; now: number }) {
  const x = (bar.start - l.origin) * l.scale;
  const w = Math.max(1.5, ((bar.end ?? now) - bar.start) * l.scale - 1);
  return <rect className="bar-focus" x={x - 2} y={(bar.slot - 1) * l.laneH - 1} width={w + 4} height={l.laneH + 2} fill="none" pointerEvents="none" />;
}

function BarCard({ bar, now, origin, x, y, width }: { bar: Bar; now: number; origin: number; x: number; y: number; width: number }) {
  const end = bar.end ?? now;
  const left = Math.min(Math.max(0, x), Math.max(0, width - 220));
  return (
    <div className="bar-card" style={{ left, top: y + 2 }} data-testid="bar-card">
      <strong>Task {bar.seq}</strong> · attempt {bar.attempt} · {bar.status}
      <br />
      slot {bar.slot} · started at {formatDuration(Math.max(0, bar.start - origin))} · {bar.end === null ? 'running for' : 'ran'} {formatDuration(end - bar.start)}
    </div>
  );
}

const TimeAxis = memo(function TimeAxis({ y, x0, width, view, origin }: { y: number; x0: number; width: number; view: Span; origin: number }) {
  const ticks = spanTicks(view, origin);
  const w = view.to - view.from;
  return (
    <g className="axis">
      {ticks.map(({ t, label }) => {
        const at = (t - view.from) / w;
        return (
          <text key={t} x={x0 + at * width} y={y + 12} textAnchor={at < 0.03 ? 'start' : at > 0.97 ? 'end' : 'middle'}>
            {label}
          </text>
        );
      })}
    </g>
  );
});

const Legend = memo(function Legend({ palette }: { palette: Palette }) {
  const items: (keyof Palette['status'])[] = ['running', 'ok', 'failed', 'killed', 'interrupted', 'suspect', 'stuck', 'stopping'];
  return (
    <ul className="legend" aria-label="Task stream legend">
      {items.map((k) => (
        <li key={k}>
          <span className={`swatch${k === 'suspect' ? ' swatch-hint' : ''}`} style={{ background: k === 'suspect' ? 'transparent' : palette.status[k], borderColor: palette.status[k] }} />
          {k}
        </li>
      ))}
    </ul>
  );
});
