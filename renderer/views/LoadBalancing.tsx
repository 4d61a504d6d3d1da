import { memo, useEffect, useMemo, useRef } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { useApp, useValue } from '../app/context.js';
import { useElementWidth, useInView, usePalette, useThrottledVersion, type Palette } from '../app/dom.js';
import { formatBytes, formatClock, formatPercent } from '../lib/format.js';
import { poolRows, slotStack, timeTicks, valueTicks, type PoolRow, type SlotStack } from './chartData.js';
import { MachinePanel } from './MachinePanel.js';
import { TaskStream } from './TaskStream.js';

// Load balancing: how work spreads over the pool. Per-slot stacks are painted on a canvas under a
// light recharts chart (axes, grid, cores line, pool total): recharts with 16 stacked series
// cost ~60 ms per update at 64 slots. Charts follow the data at most once a second, on screen.

const chartH = 130;
const chartMs = 1000;
// Plot area inside the recharts surface: margin + y axis width + x axis height.
const plot = { left: 64, right: 8, top: 6, bottom: 20 };

export function LoadBalancing() {
  return (
    <div className="lb">
      <section aria-label="Task stream" className="panel stream-panel">
        <h2>Task stream</h2>
        <TaskStream />
      </section>
      <div className="lb-charts">
        <section aria-label="Pool CPU" className="panel">
          <h2>Pool CPU <small>per slot, stacked · % of one core</small></h2>
          <SlotChart field="cpu" />
        </section>
        <section aria-label="Pool memory" className="panel">
          <h2>Pool memory <small>RSS per slot, stacked</small></h2>
          <SlotChart field="rss" />
        </section>
        <section aria-label="Queue" className="panel">
          <h2>Queue <small>queued and running tasks</small></h2>
          <QueueChart />
        </section>
        <MachinePanel />
      </div>
    </div>
  );
}

function SlotChart({ field }: { field: 'cpu' | 'rss' }) {
  const { series, job } = useApp();
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const inView = useInView(ref);
  const version = useThrottledVersion(series, chartMs, inView);
  const machine = useValue(job.machine);
  const palette = usePalette();
  const plotW = Math.max(1, width - plot.left - plot.right);
  const stack = useMemo(() => slotStack(series.slots, field, plotW, field === 'cpu' ? series.exitCpu : undefined), [series, field, plotW, version]);
  const cores = machine?.cores ?? 0;
  const reference = field === 'cpu' && cores > 0 ? cores * 100 : null;
  return (
    <>
      <div ref={ref} className="chart" style={{ position: 'relative', height: chartH }}>
        {width > 0 && stack.times.length === 0 && <p className="no-samples">no samples yet</p>}
        {width > 0 && stack.times.length > 0 && (
          <>
            <StackCanvas stack={stack} width={plotW} height={chartH - plot.top - plot.bottom} yMax={yTop(stack, reference, field)} palette={palette} />
            <TotalChart stack={stack} width={width} field={field} reference={reference} cores={cores} palette={palette} />
          </>
        )}
      </div>
      <ul className="chart-legend" aria-label={`${field === 'cpu' ? 'Pool CPU' : 'Pool memory'} legend`}>
        <li>
          <span className="swatch" style={{ background: palette.series[0], opacity: 0.6 }} />
          <span className="swatch" style={{ background: palette.series[1], opacity: 0.6 }} /> a band per slot
        </li>
        {stack.keys.includes('ended') && (
          <li>
            <span className="swatch" style={{ background: palette.axis, opacity: 0.6 }} /> tasks ended between samples (CPU at exit)
          </li>
        )}
        <li><span className="line" style={{ borderColor: palette.axis }} /> pool total</li>
        {reference !== null && <li><span className="line dashed" style={{ borderColor: palette.reference }} /> all cores busy</li>}
      </ul>
    </>
  );
}

// An idle pool's axes read 0…100 % and 0…1.2 MB, not 0…1 B.
const yFloor = { cpu: 100, rss: 1024 * 1024 };

/** Round y ticks (0, 50 … 250 %; 0, 100 … 300 MiB) over the data and the cores line; the last is the top. */
function yTicksOf(stack: SlotStack, reference: number | null, field: 'cpu' | 'rss'): number[] {
  return valueTicks(Math.max(stack.max, reference ?? 0) * 1.05, yFloor[field], field === 'cpu' ? 1 : 1024);
}

function yTop(stack: SlotStack, reference: number | null, field: 'cpu' | 'rss'): number {
  return yTicksOf(stack, reference, field).at(-1) ?? 1;
}

const StackCanvas = memo(function StackCanvas(p: { stack: SlotStack; width: number; height: number; yMax: number; palette: Palette }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(p.width * dpr);
    canvas.height = Math.round(p.height * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawStack(ctx, p.stack, p.width, p.height, p.yMax, p.palette.series, p.palette.axis);
  }, [p.stack, p.width, p.height, p.yMax, p.palette]);
  return (
    <canvas
      ref={ref}
      aria-hidden="true"
      style={{ position: 'absolute', left: plot.left, top: plot.top, width: p.width, height: p.height, pointerEvents: 'none' }}
    />
  );
});

/** Bands between consecutive stack tops, oldest slot at the bottom. */
export function drawStack(ctx: CanvasRenderingContext2D, s: SlotStack, w: number, h: number, yMax: number, colors: readonly string[], endedColor = colors[0]): void {
  ctx.clearRect(0, 0, w, h);
  const n = s.times.length;
  if (n === 0) return;
  const span = s.t1 - s.t0 || 1;
  const x = (i: number) => ((s.times[i] - s.t0) / span) * w;
  const y = (v: number) => h - (v / yMax) * h;
  ctx.lineWidth = 1;
  for (let k = 0; k < s.keys.length; k++) {
    const top = s.tops[k];
    const below = k > 0 ? s.tops[k - 1] : null;
    const color = s.keys[k] === 'ended' ? endedColor : colors[k % colors.length];
    ctx.beginPath();
    ctx.moveTo(x(0), y(top[0]));
    for (let i = 1; i < n; i++) ctx.lineTo(x(i), y(top[i]));
    ctx.strokeStyle = color;
    ctx.globalAlpha = 1;
    ctx.stroke();
    for (let i = n - 1; i >= 0; i--) ctx.lineTo(x(i), y(below ? below[i] : 0));
    ctx.closePath();
    ctx.globalAlpha = 0.35;
    ctx.fillStyle = color;
    ctx.fill();
  }
  ctx.globalAlpha = 1;
}

const TotalChart = memo(function TotalChart(p: {
  stack: SlotStack; width: number; field: 'cpu' | 'rss'; reference: number | null; cores: number; palette: Palette;
}) {
  const fmt = p.field === 'cpu' ? formatPercent : formatBytes;
  const { stack } = p;
  const rows = useMemo(() => {
    const top = stack.tops[stack.tops.length - 1];
    return stack.times.map((t, i) => ({ t, total: top ? top[i] : 0 }));
  }, [stack]);
  const yTicks = yTicksOf(stack, p.reference, p.field);
  const yMax = yTicks.at(-1) ?? 1;
  return (
    <LineChart
      width={p.width}
      height={chartH}
      data={rows}
      margin={{ top: plot.top, right: plot.right, bottom: 0, left: 0 }}
      style={{ position: 'absolute', left: 0, top: 0 }}
    >
      <CartesianGrid stroke={p.palette.grid} vertical={false} />
      <XAxis
        dataKey="t"
        type="number"
        domain={[stack.t0, stack.t1]}
        allowDataOverflow
        ticks={timeTicks(stack.t0, stack.t1)}
        tickFormatter={formatClock}
        stroke={p.palette.axis}
        tick={{ fontSize: 10 }}
        height={plot.bottom}
      />
      <YAxis width={plot.left} stroke={p.palette.axis} tick={{ fontSize: 10 }} tickFormatter={(v: number) => fmt(v)} domain={[0, yMax]} ticks={yTicks} allowDataOverflow />
      <Tooltip
        isAnimationActive={false}
        labelFormatter={(t) => formatClock(Number(t))}
        formatter={(v) => [fmt(Number(v)), 'pool total']}
        contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', fontSize: 11 }}
        // in the text colour, not the series' (the pool-total line is drawn in the axis grey: 3.1:1)
        itemStyle={{ color: 'var(--text)' }}
        labelStyle={{ color: 'var(--text)' }}
      />
      <Line dataKey="total" name="pool total" type="linear" isAnimationActive={false} dot={false} activeDot={false} stroke={p.palette.axis} strokeWidth={1} />
      {p.reference !== null && (
        <ReferenceLine
          y={p.reference}
          stroke={p.palette.reference}
          strokeDasharray="4 3"
          label={{ value: `${p.cores} cores = ${p.reference}%`, position: 'insideTopRight', fontSize: 10, fill: p.palette.reference }}
        />
      )}
    </LineChart>
  );
});

function QueueChart() {
  const { series, job: jobStore } = useApp();
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const inView = useInView(ref);
  const version = useThrottledVersion(series, chartMs, inView);
  const palette = usePalette();
  // From the job's start: the minutes it sat loaded and not started are not part of its queue.
  const since = useValue(jobStore.job)?.startedAt ?? Infinity;
  const rows = useMemo(() => poolRows(series.pool, width, 'queued', since), [series, width, version, since]);
  return (
    <div ref={ref} className="chart">
      {width > 0 && (rows.length === 0 ? <p className="no-samples">{since === Infinity ? 'not started' : 'no samples yet'}</p> : <QueueLines rows={rows} width={width} palette={palette} />)}
      <ul className="chart-legend" aria-label="Queue legend">
        <li><span className="line" style={{ borderColor: palette.queued }} /> queued</li>
        <li><span className="line" style={{ borderColor: palette.running }} /> running</li>
      </ul>
    </div>
  );
}

const QueueLines = memo(function QueueLines({ rows, width, palette }: { rows: PoolRow[]; width: number; palette: Palette }) {
  return (
    <LineChart width={width} height={chartH} data={rows} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
      <CartesianGrid stroke={palette.grid} vertical={false} />
      <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={formatClock} stroke={palette.axis} tick={{ fontSize: 10 }} minTickGap={40} />
      <YAxis width={64} stroke={palette.axis} tick={{ fontSize: 10 }} allowDecimals={false} />
      <Tooltip isAnimationActive={false} labelFormatter={(t) => formatClock(Number(t))} contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', fontSize: 11 }} itemStyle={{ color: 'var(--text)' }} labelStyle={{ color: 'var(--text)' }} />
      <Line dataKey="queued" name="queued" type="stepAfter" isAnimationActive={false} dot={false} activeDot={false} stroke={palette.queued} strokeWidth={1.5} />
      <Line dataKey="running" name="running" type="stepAfter" isAnimationActive={false} dot={false} activeDot={false} stroke={palette.running} strokeWidth={1.5} />
    </LineChart>
  );
});
