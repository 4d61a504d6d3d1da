import { memo } from 'react';
import type { Palette } from '../app/dom.js';
import { formatDuration } from '../lib/format.js';
import { attemptText, blockLabel, type StreamItem } from './streamItems.js';
import { spanTicks, type Span } from './streamSpan.js';

// The task stream's SVG marks: lanes, bars and blocks, the focus ring, the hover/focus card,
// the time axis and the legend. Memoised so a tick re-renders only what changed.

export const gutter = 34;
export const axisH = 16;

export const Lane = memo(function Lane({ slot, y, h, w, busy, gone }: { slot: number; y: number; h: number; w: number; busy: boolean; gone: boolean }) {
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

export interface BarLayout {
  origin: number;
  scale: number;
  laneH: number;
  palette: Palette;
  /** A bar opens its task; a block zooms in on itself */
  onPick: (item: StreamItem) => void;
  onHover: (key: string | null) => void;
}

export const itemId = (b: StreamItem) => (b.block ? `block-${b.slot}-${b.start}-${b.end}` : `bar-${b.seq}-${b.attempt}`);

/** A group of items; re-renders only when its array (or the layout, or `now` for running bars) changes. */
export const Items = memo(function Items({ items, layout: l, now }: { items: readonly StreamItem[]; layout: BarLayout; now: number }) {
  return (
    <g>
      {items.map((b) => (
        <ItemRect key={b.key} item={b} y={(b.slot - 1) * l.laneH + 1} h={l.laneH - 2} layout={l} now={b.end === null ? now : 0} />
      ))}
    </g>
  );
});

function itemBox(b: StreamItem, l: BarLayout, now: number): { x: number; w: number } {
  const x = (b.start - l.origin) * l.scale;
  // A block is at least two pixels: it stands for attempts that were each thinner than that.
  return { x, w: Math.max(b.block ? 2 : 1.5, ((b.end ?? now) - b.start) * l.scale - (b.block ? 0 : 1)) };
}

const ItemRect = memo(function ItemRect({ item: b, y, h, layout: l, now }: { item: StreamItem; y: number; h: number; layout: BarLayout; now: number }) {
  const { x, w } = itemBox(b, l, now);
  const colour = l.palette.status[b.status];
  // Suspect is a hint, not a verdict: hollow and dashed, where stuck is solid. A block is striped.
  const hint = b.status === 'suspect';
  return (
    <rect
      id={itemId(b)}
      role="button"
      aria-label={b.block ? `Block of ${blockLabel(b.block)}, in slot ${b.slot}` : `Task ${b.seq}, ${attemptText(b).replace(/ ·|:/, ',')}`}
      data-seq={b.block ? undefined : b.seq}
      data-block={b.block ? b.block.count : undefined}
      data-status={b.status}
      x={x}
      y={y}
      width={w}
      height={Math.max(1, h)}
      fill={b.block ? 'url(#stream-block)' : colour}
      color={b.block ? colour : undefined}
      fillOpacity={hint ? 0.35 : 1}
      stroke={hint || b.block ? colour : undefined}
      strokeWidth={b.block ? 0.5 : undefined}
      strokeDasharray={hint ? '3 2' : undefined}
      onClick={() => l.onPick(b)}
      onMouseEnter={() => l.onHover(b.key)}
      onMouseLeave={() => l.onHover(null)}
    />
  );
});

/** Diagonal stripes in the block's own colour (currentColor): a block reads apart from a bar without colour. */
export function BlockPattern() {
  return (
    <pattern id="stream-block" patternUnits="userSpaceOnUse" width={4} height={4} patternTransform="rotate(45)">
      <rect width={4} height={4} fill="currentColor" opacity={0.45} />
      <rect width={2} height={4} fill="currentColor" />
    </pattern>
  );
}

export function FocusRing({ item, layout: l, now }: { item: StreamItem; layout: BarLayout; now: number }) {
  const { x, w } = itemBox(item, l, now);
  return <rect className="bar-focus" x={x - 2} y={(item.slot - 1) * l.laneH - 1} width={w + 4} height={l.laneH + 2} fill="none" pointerEvents="none" />;
}

export function ItemCard({ item: b, now, origin, x, y, width }: { item: StreamItem; now: number; origin: number; x: number; y: number; width: number }) {
  const end = b.end ?? now;
  const left = Math.min(Math.max(0, x), Math.max(0, width - 240));
  if (b.block) {
    return (
      <div className="bar-card" style={{ left, top: y + 2 }} data-testid="bar-card">
        <strong>{blockLabel(b.block)}</strong>
        <br />
        slot {b.slot} · Enter or click zooms in to its bars
      </div>
    );
  }
  return (
    <div className="bar-card" style={{ left, top: y + 2 }} data-testid="bar-card">
      <strong>Task {b.seq}</strong> · {attemptText(b)}
      <br />
      slot {b.slot} · started at {formatDuration(Math.max(0, b.start - origin))} · {b.end === null ? 'running for' : 'ran'} {formatDuration(end - b.start)}
    </div>
  );
}

export const TimeAxis = memo(function TimeAxis({ y, x0, width, view, origin }: { y: number; x0: number; width: number; view: Span; origin: number }) {
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

export const Legend = memo(function Legend({ palette }: { palette: Palette }) {
  const items: (keyof Palette['status'])[] = ['running', 'ok', 'failed', 'killed', 'interrupted', 'suspect', 'stuck', 'stopping'];
  return (
    <ul className="legend" aria-label="Task stream legend">
      {items.map((k) => (
        <li key={k}>
          <span className={`swatch${k === 'suspect' ? ' swatch-hint' : ''}`} style={{ background: k === 'suspect' ? 'transparent' : palette.status[k], borderColor: palette.status[k] }} />
          {k}
        </li>
      ))}
      <li>
        <span className="swatch swatch-block" style={{ color: palette.status.ok, borderColor: palette.status.ok }} />
        block of attempts too thin to draw
      </li>
    </ul>
  );
});
