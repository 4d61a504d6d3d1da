import { memo, useCallback, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useApp, useValue, useVersion } from '../app/context.js';
import { useElementWidth, usePalette } from '../app/dom.js';
import { formatDuration } from '../lib/format.js';
import type { Bar, BarLayers } from '../store/seriesStore.js';
import { panBy, streamSpan, viewAround, viewOf, zoomBy, maxZoom, type Span, type View } from './streamSpan.js';
import { nextBar } from './streamKeys.js';
import { endedAfter, groupItems, keepUnchanged, sliceItems, type StreamItem } from './streamItems.js';
import { useStreamSlice } from './streamSlice.js';
import { axisH, BlockPattern, FocusRing, gutter, ItemCard, Items, itemId, Lane, Legend, TimeAxis, type BarLayout } from './StreamMarks.js';

// Dask-style task stream in SVG: a lane per slot, a bar per attempt. The time axis spans the whole
// run (then zoom and pan narrow it); the supervisor sends the shown stretch with attempts thinner
// than a pixel gathered into blocks per lane, so a run of a million attempts draws no gaps and
// costs bounded memory. Running bars and those that ended since come with the ticks. One
// focusable group with an active item makes every bar and block keyboard-reachable.

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

  const now = clock.time;
  const layers = series.barLayers();
  const plotW = Math.max(0, width - gutter);
  const span = streamSpan(job?.startedAt ?? null, job?.endedAt ?? null, now);
  const shown = viewOf(span, view);
  const running = job !== null && job.startedAt !== null && job.endedAt === null;
  const slice = useStreamSlice(shown, plotW, running, job?.startedAt ?? null);
  // The answer's layer changes with the answer (every few seconds), never with the tick.
  const lastItems = useRef(new Map<string, StreamItem>());
  const lastGroups = useRef<StreamItem[][]>([]);
  const { fromSlice, groups, sliceLanes } = useMemo(() => {
    const items = slice ? keepUnchanged(sliceItems(slice), lastItems.current) : [];
    lastItems.current = new Map(items.map((i) => [i.key, i]));
    lastGroups.current = slice ? groupItems(items, slice.from, slice.to, lastGroups.current) : [];
    return { fromSlice: items, groups: lastGroups.current, sliceLanes: maxSlot(items) };
  }, [slice]);
  const chunks = useChunksAfter(layers, slice?.through ?? null);

  // Lanes stay for slots that still have bars after the pool shrank: no bar vanishes.
  const laneCount = Math.max(job?.poolSize ?? 0, sliceLanes, layersMaxSlot(layers));
  const lanes = useMemo(() => Array.from({ length: laneCount }, (_, i) => i + 1), [laneCount]);
  const busy = useMemo(() => new Set(slots.filter((s) => s.taskSeq !== null).map((s) => s.slot)), [slots]);
  const laneH = laneCount > 32 ? 6 : laneCount > 16 ? 9 : laneCount > 8 ? 14 : 20;
  const height = Math.max(laneCount, 1) * laneH + axisH;

  const scale = plotW / Math.max(1, shown.to - shown.from); // px per ms
  // A fixed origin keeps every bar's x stable while the scale holds.
  const originRef = useRef<number | null>(null);
  if (originRef.current === null && now > 0) originRef.current = job?.startedAt ?? now;
  const origin = job?.startedAt ?? originRef.current ?? 0;
  const shift = -((shown.from - origin) * scale);
  // The span is read when a block is picked (a ref: it changes every few seconds while running).
  const spanRef = useRef(span);
  spanRef.current = span;
  const onPick = useCallback(
    (item: StreamItem) => {
      if (item.block) setView(viewAround(spanRef.current, item.start, item.end ?? item.start));
      else ui.selected.set(item.seq);
    },
    [ui],
  );
  const layout = useMemo<BarLayout>(() => ({ origin, scale, laneH, palette, onPick, onHover: setHover }), [origin, scale, laneH, palette, onPick]);

  // Looked up only while something is active or hovered: no per-tick cost otherwise.
  const all = () => allItems(fromSlice, chunks, layers.running);
  const activeItem = findItem(fromSlice, chunks, layers.running, active);
  const cardItem = findItem(fromSlice, chunks, layers.running, hover) ?? activeItem;

  const onKey = (e: KeyboardEvent<SVGSVGElement>) => {
    if (e.key === '+' || e.key === '=') setView((v) => zoomBy(span, v, 2));
    else if (e.key === '-') setView((v) => zoomBy(span, v, 0.5));
    else if (e.key === '0') setView({ zoom: 1, panMs: 0 });
    else if ((e.key === 'Enter' || e.key === ' ') && activeItem) onPick(activeItem);
    else {
      const next = nextBar(all(), activeItem ?? null, e.key);
      if (next === undefined) return;
      setActive(next.key);
      setView((v) => reveal(span, v, next, now));
    }
    e.preventDefault();
    e.stopPropagation();
  };

  const blocks = slice?.blocks.length ?? 0;
  const dropped = slice?.droppedAttempts ?? 0;
  const label = `Task stream: ${laneCount} slots, ${formatDuration(shown.to - shown.from)} shown${blocks ? `, ${blocks} blocks of dense attempts` : ''}${dropped ? `, ${dropped} older attempts of retried tasks dropped` : ''}. Arrow keys move between bars, Enter opens the task or zooms into a block, + and − zoom.`;
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
            aria-activedescendant={activeItem ? itemId(activeItem) : undefined}
            onKeyDown={onKey}
            onFocus={() => setActive((a) => a ?? all().at(-1)?.key ?? null)}
            data-from={shown.from}
            data-to={shown.to}
          >
            <defs>
              <clipPath id="stream-clip">
                <rect x={gutter} y={0} width={plotW} height={height} />
              </clipPath>
              <BlockPattern />
            </defs>
            {lanes.map((slot, i) => (
              <Lane key={slot} slot={slot} y={i * laneH} h={laneH} w={plotW} busy={busy.has(slot)} gone={slot > (job?.poolSize ?? 0)} />
            ))}
            <g clipPath="url(#stream-clip)">
              <g transform={`translate(${gutter + shift},0)`}>
                {groups.map((items, i) => (
                  <Items key={i} items={items} layout={layout} now={0} />
                ))}
                {chunks.map((bars, i) => (
                  <Items key={layers.chunks[i][0]} items={bars} layout={layout} now={0} />
                ))}
                <Items items={layers.running} layout={layout} now={now} />
                {activeItem && <FocusRing item={activeItem} layout={layout} now={now} />}
              </g>
            </g>
            <TimeAxis y={laneCount * laneH} x0={gutter} width={plotW} view={shown} origin={origin} />
          </svg>
          {cardItem && <ItemCard item={cardItem} now={now} origin={origin} x={gutter + shift + (cardItem.start - origin) * scale} width={width} y={(cardItem.slot - 1) * laneH + laneH} />}
        </div>
      )}
      <Legend palette={palette} />
      {dropped > 0 && <p className="muted stream-dropped">{dropped} older attempts of retried tasks dropped (over the supervisor's budget for them)</p>}
      <SlotKills busy={[...busy].sort((a, b) => a - b).join(' ')} />
    </div>
  );
}

/** The store's ended chunks, less the bars the slice already holds (kept as the same arrays while unchanged). */
function useChunksAfter(layers: BarLayers, through: number | null): Bar[][] {
  const cache = useRef(new WeakMap<Bar[], { through: number | null; bars: Bar[] }>());
  return layers.chunks.map(([, bars]) => {
    if (through === null) return bars;
    const hit = cache.current.get(bars);
    if (hit && hit.through === through) return hit.bars;
    const kept = endedAfter(bars, through);
    cache.current.set(bars, { through, bars: kept });
    return kept;
  });
}

/**
 * "Kill slot N" for each busy slot: ends the task there at once (its tree is force-killed).
 * `busy` is the busy slots as text ("1 2 5"), so a tick that changes none of them skips this.
 */
const SlotKills = memo(function SlotKills({ busy }: { busy: string }) {
  const { actions } = useApp();
  const slots = busy ? busy.split(' ').map(Number) : [];
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
});

function maxSlot(items: readonly StreamItem[]): number {
  let m = 0;
  for (const b of items) m = Math.max(m, b.slot);
  return m;
}

/** The highest lane the ticks' bars use, cached per layers object (it changes once a frame at most). */
const layerSlots = new WeakMap<BarLayers, number>();
function layersMaxSlot(l: BarLayers): number {
  let m = layerSlots.get(l);
  if (m === undefined) {
    m = maxSlot(l.running);
    for (const [, bars] of l.chunks) m = Math.max(m, maxSlot(bars));
    layerSlots.set(l, m);
  }
  return m;
}

function findItem(slice: readonly StreamItem[], chunks: readonly Bar[][], running: readonly Bar[], key: string | null): StreamItem | undefined {
  if (key === null) return undefined;
  return running.find((b) => b.key === key) ?? chunks.flat().find((b) => b.key === key) ?? slice.find((b) => b.key === key);
}

function allItems(slice: readonly StreamItem[], chunks: readonly Bar[][], running: readonly Bar[]): StreamItem[] {
  const seen = new Set<string>();
  const out: StreamItem[] = [];
  for (const b of [...slice, ...chunks.flat(), ...running]) {
    if (seen.has(b.key)) continue;
    seen.add(b.key);
    out.push(b);
  }
  return out.sort((a, b) => a.start - b.start || a.slot - b.slot);
}

/** Pans so an item chosen by keyboard is inside the view. */
function reveal(span: Span, v: View, bar: StreamItem, now: number): View {
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
      <button type="button" className="ghost mini" onClick={() => setView((v) => zoomBy(span, v, 2))} disabled={view.zoom >= maxZoom}>
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
