import { memo, useMemo } from 'react';
import { Area, AreaChart, CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { useApp, useValue, useVersion } from '../app/context.js';
import { useElementWidth, usePalette, type Palette } from '../app/dom.js';
import { formatBytes, formatClock, formatPercent } from '../lib/format.js';
import { poolRows, slotRows, type PoolRow, type SlotRow } from './chartData.js';
import { TaskStream } from './TaskStream.js';

// Load balancing: how work spreads over the pool. The charts are memoised and fed new data each
// tick; recharts updates the same SVG (no animation, no dots).

const chartH = 130;

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
      </div>
    </div>
  );
}

function SlotChart({ field }: { field: 'cpu' | 'rss' }) {
  const { series, job } = useApp();
  const version = useVersion(series);
  const machine = useValue(job.machine);
  const palette = usePalette();
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const { rows, keys } = useMemo(() => slotRows(series.slots, field, width), [series, field, width, version]);
  const reference = field === 'cpu' ? (machine?.cores ?? 0) * 100 : null;
  return (
    <div ref={ref} className="chart">
      {width > 0 && (
        <StackedChart rows={rows} keys={keys} width={width} field={field} reference={reference} cores={machine?.cores ?? 0} palette={palette} />
      )}
    </div>
  );
}

const StackedChart = memo(function StackedChart(p: {
  rows: SlotRow[]; keys: string[]; width: number; field: 'cpu' | 'rss'; reference: number | null; cores: number; palette: Palette;
}) {
  const fmt = p.field === 'cpu' ? formatPercent : formatBytes;
  return (
    <AreaChart width={p.width} height={chartH} data={p.rows} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
      <CartesianGrid stroke={p.palette.grid} vertical={false} />
      <XAxis
        dataKey="t"
        type="number"
        domain={['dataMin', 'dataMax']}
        tickFormatter={formatClock}
        stroke={p.palette.axis}
        tick={{ fontSize: 10 }}
        minTickGap={40}
      />
      <YAxis
        width={64}
        stroke={p.palette.axis}
        tick={{ fontSize: 10 }}
        tickFormatter={(v: number) => fmt(v)}
        domain={p.reference ? [0, (max: number) => Math.max(max, p.reference ?? 0) * 1.05] : [0, 'auto']}
      />
      <Tooltip
        isAnimationActive={false}
        labelFormatter={(t) => formatClock(Number(t))}
        formatter={(v, name) => [fmt(Number(v)), name === 'other' ? 'other slots' : `slot ${String(name).slice(1)}`]}
        contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', fontSize: 11 }}
      />
      {p.keys.map((k, i) => (
        <Area
          key={k}
          dataKey={k}
          stackId="slots"
          type="linear"
          isAnimationActive={false}
          dot={false}
          activeDot={false}
          stroke={p.palette.series[i % p.palette.series.length]}
          fill={p.palette.series[i % p.palette.series.length]}
          fillOpacity={0.35}
          strokeWidth={1}
        />
      ))}
      {p.reference !== null && p.reference > 0 && (
        <ReferenceLine
          y={p.reference}
          stroke={p.palette.reference}
          strokeDasharray="4 3"
          label={{ value: `${p.cores} cores = ${p.reference}%`, position: 'insideTopRight', fontSize: 10, fill: p.palette.reference }}
        />
      )}
    </AreaChart>
  );
});

function QueueChart() {
  const { series } = useApp();
  const version = useVersion(series);
  const palette = usePalette();
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const rows = useMemo(() => poolRows(series.pool, width, 'queued'), [series, width, version]);
  return (
    <div ref={ref} className="chart">
      {width > 0 && <QueueLines rows={rows} width={width} palette={palette} />}
    </div>
  );
}

const QueueLines = memo(function QueueLines({ rows, width, palette }: { rows: PoolRow[]; width: number; palette: Palette }) {
  return (
    <LineChart width={width} height={chartH} data={rows} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
      <CartesianGrid stroke={palette.grid} vertical={false} />
      <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={formatClock} stroke={palette.axis} tick={{ fontSize: 10 }} minTickGap={40} />
      <YAxis width={64} stroke={palette.axis} tick={{ fontSize: 10 }} allowDecimals={false} />
      <Tooltip isAnimationActive={false} labelFormatter={(t) => formatClock(Number(t))} contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', fontSize: 11 }} />
      <Line dataKey="queued" name="queued" type="stepAfter" isAnimationActive={false} dot={false} activeDot={false} stroke={palette.queued} strokeWidth={1.5} />
      <Line dataKey="running" name="running" type="stepAfter" isAnimationActive={false} dot={false} activeDot={false} stroke={palette.running} strokeWidth={1.5} />
    </LineChart>
  );
});
