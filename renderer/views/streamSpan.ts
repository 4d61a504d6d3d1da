// Which stretch of time the task stream shows. It spans the run so far (its first bar at the
// left edge, not a sliver at the right of a fixed window), however long: the supervisor sends
// dense stretches as blocks (getStream). A finished run fits edge to edge; with a `maxMs` it
// scrolls past that. The span grows in steps so bars do not re-lay out every tick.

export interface Span {
  from: number;
  to: number;
}

const steps = [10_000, 15_000, 20_000, 30_000, 45_000, 60_000, 90_000, 120_000, 180_000, 240_000, 300_000, 450_000, 600_000];

export function streamSpan(startedAt: number | null, endedAt: number | null, now: number, maxMs = Infinity): Span {
  if (startedAt === null) return { from: now - Math.min(maxMs, steps[0]), to: now };
  const end = endedAt ?? now;
  const elapsed = Math.max(0, end - startedAt);
  if (elapsed > maxMs) return { from: end - maxMs, to: end };
  if (endedAt !== null) return { from: startedAt, to: Math.max(endedAt, startedAt + 1000) };
  // Past the steps: whole 10-minute lengths.
  const w = Math.min(maxMs, steps.find((s) => s >= elapsed) ?? Math.ceil(elapsed / 600_000) * 600_000);
  return { from: startedAt, to: startedAt + w };
}

export interface View {
  /** 1 = the whole span; 2 = half of it, and so on. */
  zoom: number;
  /** How far the view's right edge sits before the span's end, in ms. */
  panMs: number;
}

/** Deep enough to open a block of a day-long run down to single bars. */
export const maxZoom = 1 << 16;

/** The visible part of the span under the user's zoom and pan (clamped inside the span). */
export function viewOf(span: Span, v: View): Span {
  const width = (span.to - span.from) / v.zoom;
  const to = Math.max(span.from + width, Math.min(span.to, span.to - v.panMs));
  return { from: to - width, to };
}

/** The view that shows [from, to] (padded by a tenth each side), clamped inside the span. */
export function viewAround(span: Span, from: number, to: number): View {
  const pad = Math.max(50, (to - from) / 10);
  const width = Math.min(span.to - span.from, to - from + 2 * pad);
  const zoom = Math.min(maxZoom, Math.max(1, (span.to - span.from) / width));
  if (zoom === 1) return { zoom, panMs: 0 };
  const w = (span.to - span.from) / zoom;
  const right = Math.min(span.to, Math.max(span.from + w, (from + to) / 2 + w / 2));
  return { zoom, panMs: span.to - right };
}

/** Pans by a fraction of the visible width (negative: earlier), kept inside the span. */
export function panBy(span: Span, v: View, fraction: number): View {
  const width = (span.to - span.from) / v.zoom;
  const maxPan = span.to - span.from - width;
  return { ...v, panMs: Math.min(maxPan, Math.max(0, v.panMs - fraction * width)) };
}

export function zoomBy(span: Span, v: View, factor: number): View {
  const zoom = Math.min(maxZoom, Math.max(1, v.zoom * factor));
  if (zoom === 1) return { zoom, panMs: 0 };
  // Keep the view's centre where it was.
  const old = viewOf(span, v);
  const centre = (old.from + old.to) / 2;
  const width = (span.to - span.from) / zoom;
  const to = Math.min(span.to, Math.max(span.from + width, centre + width / 2));
  return { zoom, panMs: span.to - to };
}

/** Axis labels in run time (seconds since the job started, or clock-less offsets), at round steps. */
export function spanTicks(view: Span, origin: number, maxTicks = 8): { t: number; label: string }[] {
  const width = view.to - view.from;
  const roundSteps = [100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000];
  const step = roundSteps.find((s) => width / s <= maxTicks) ?? 21_600_000;
  const first = Math.ceil((view.from - origin) / step) * step + origin;
  const out: { t: number; label: string }[] = [];
  for (let t = first; t <= view.to + 1e-6; t += step) out.push({ t, label: step < 1000 ? `${((t - origin) / 1000).toFixed(1)}s` : runTime(t - origin) });
  return out;
}

function runTime(ms: number): string {
  const s = Math.round(ms / 1000);
  const sign = s < 0 ? '−' : '';
  const a = Math.abs(s);
  if (a < 60) return `${sign}${a}s`;
  const m = Math.floor(a / 60);
  if (m < 60) return `${sign}${m}:${String(a % 60).padStart(2, '0')}`;
  return `${sign}${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}`;
}
