import { memo, useEffect, useRef, useState } from 'react';
import { Line, LineChart, XAxis, YAxis } from 'recharts';
import type { ProcessInfo, SeriesPoint, StopProgress, TaskDetail as Detail, TaskInfo } from '../../main/contract/types.js';
import { useApp, useValue } from '../app/context.js';
import { useElementWidth, useNow, usePalette } from '../app/dom.js';
import { formatBytes, formatClock, formatCountdown, formatCpuSeconds, formatDuration, formatPercent } from '../lib/format.js';
import { endNote, hasSamples, memoryFigures, stopReasonText } from '../lib/taskFigures.js';
import { valueTicks } from './chartData.js';
import { UnitText } from './UnitText.js';
import { TaskActions } from './TaskActions.js';
import { appendOutput, emptyOutput, outputSegments, type PaneOutput } from './outputMarks.js';

// One task up close. While open it polls detail and output once per tick (output by offset, so
// only new bytes cross the wire), and stops polling when closed.

const maxOutputChars = 64 * 1024;
const mib = 1024 * 1024;

export function TaskDetail({ seq }: { seq: number }) {
  const { api, ui, job, tasks } = useApp();
  const clock = useValue(job.clock);
  const task = tasks.get(seq);
  const [detail, setDetail] = useState<Detail | null>(null);
  const [output, setOutput] = useState<PaneOutput>(emptyOutput);
  const [error, setError] = useState<string | null>(null);
  const busy = useRef(false);
  const outRef = useRef<HTMLPreElement>(null);

  useEffect(() => {
    setDetail(null);
    setOutput(emptyOutput);
    setError(null);
  }, [seq]);

  useEffect(() => {
    if (busy.current) return;
    busy.current = true;
    let cancelled = false;
    void (async () => {
      const [d, o] = await Promise.all([api.getTaskDetail({ seq }), api.getTaskOutput({ seq, offset: output.next })]);
      busy.current = false;
      if (cancelled) return;
      if (d.ok) setDetail(d.value);
      else setError(d.error.message);
      if (o.ok) setOutput((prev) => appendOutput(prev, o.value, maxOutputChars));
    })();
    return () => {
      cancelled = true;
    };
    // Poll once per tick; output.next is read at that moment.
  }, [api, seq, clock.n]);

  useEffect(() => {
    const el = outRef.current;
    if (el && el.scrollHeight - el.scrollTop - el.clientHeight < 40) el.scrollTop = el.scrollHeight;
  }, [output.text]);

  const t = detail?.task ?? task;
  return (
    <section aria-label={`Task ${seq}`} className="panel detail-panel">
      <div className="panel-head">
        <h2>Task {seq}</h2>
        {t && <span className={`pill s-${t.state}`} data-testid="task-state">{t.state}</span>}
        <div className="spacer" />
        <button type="button" className="ghost mini" aria-label={`Close task ${seq}`} onClick={() => ui.selected.set(null)}>✕</button>
      </div>
      {error && <p className="error-text">{error}</p>}
      {t && (
        <>
          <code className="command" title={t.command}>{t.command}</code>
          <dl className="kv">
            <div className="wide"><dt>input</dt><dd title={t.input}>{t.input}</dd></div>
            <div><dt>slot</dt><dd className="num">{t.slot ?? '—'}</dd></div>
            <div><dt>attempt</dt><dd className="num">{t.attempt}</dd></div>
            <div><dt>runtime</dt><dd className="num">{formatDuration(t.runtimeMs)}</dd></div>
            <div><dt>CPU</dt><dd className="num" data-testid="task-cpu">{formatPercent(t.cpuPercent)}</dd></div>
            <div><dt>CPU time</dt><dd className="num" data-testid="task-cpu-time">{formatCpuSeconds(t.cpuSeconds)}</dd></div>
            <Memory t={t} />
            {t.exitCode !== null && <div><dt>exit</dt><dd className="num">{t.exitCode}</dd></div>}
            {t.signal && <div><dt>signal</dt><dd>{t.signal}</dd></div>}
          </dl>
          <EndNote t={t} />
          {t.stuck && <p className="evidence"><UnitText text={t.stuck.summary} /> <span className="muted">· since {formatClock(t.stuck.since)}</span></p>}
          {t.state === 'stopping' && t.stopping && <StopStep stop={t.stopping} />}
          <TaskActions seq={t.seq} state={t.state} hide="show" />
        </>
      )}
      <h3>Process tree</h3>
      <ProcessTree tree={detail?.tree ?? []} />
      <h3>History</h3>
      <History points={detail?.history ?? []} />
      <h3>Output {output.truncated && <small className="muted">(older output dropped)</small>}</h3>
      {/* A log, so the scrollable box has a name; not live, or a chatty task would talk over everything. */}
      <pre ref={outRef} className="output" role="log" aria-live="off" aria-label={`Output of task ${seq}`} tabIndex={0}>
        <OutputText output={output} />
      </pre>
    </section>
  );
}

/** stderr lines in their own colour with a rule at the left, and named "stderr" for screen readers. */
const OutputText = memo(function OutputText({ output }: { output: PaneOutput }) {
  const segments = outputSegments(output.text, output.marks);
  if (segments.length === 0) return ' ';
  return segments.map((s, i) =>
    s.stderr ? (
      <span key={i} className="out-stderr" role="group" aria-label="stderr">
        {s.text.endsWith('\n') ? s.text.slice(0, -1) : s.text}
      </span>
    ) : (
      s.text
    ),
  );
});

/** A module task's figures are its reused host's: say so, with the RSS at start and the growth. */
function Memory({ t }: { t: TaskInfo }) {
  const m = memoryFigures(t);
  return (
    <div className="wide" data-testid="task-memory" title={m.atStart === null ? undefined : "The module host is reused: its RSS includes earlier tasks' memory"}>
      <dt>{m.label}</dt>
      <dd className="num wrap">
        {m.now} <span className="muted">peak {m.peak}</span>
        {m.atStart !== null && <span className="muted host-growth">at start {m.atStart}, growth {m.growth}</span>}
      </dd>
    </div>
  );
}

function EndNote({ t }: { t: TaskInfo }) {
  const note = endNote(t);
  if (!note) return null;
  return <p className={`end-note tone-${note.tone}`} data-testid="task-end-note">{note.text}</p>;
}

/** "Sent TERM — KILL in 7 s", counting down locally between ticks. */
export function stopStepText(stop: StopProgress, now: number): string {
  if (!stop.next) return `Sent ${stop.step} — waiting for the process tree to exit`;
  if (stop.nextAt === null) return `Sent ${stop.step} — ${stop.next} next`;
  return `Sent ${stop.step} — ${stop.next} in ${formatCountdown(stop.nextAt - now)}`;
}

function StopStep({ stop }: { stop: StopProgress }) {
  const now = useNow(250);
  return (
    <p className="stop-step" role="status">
      {stopStepText(stop, now)}
      <span className="muted"> · {stop.mode} stop, {stopReasonText(stop.reason)}, since {formatClock(stop.startedAt)}</span>
    </p>
  );
}

/** Node.js names its main thread "MainThread" (what /proc/PID/comm shows for a module host): say node. */
export function processName(name: string): string {
  return name === 'MainThread' ? 'node' : name;
}

/** Orders pids depth-first under their parents so the tree reads like `ps f`. */
export function treeOrder(tree: readonly ProcessInfo[]): { p: ProcessInfo; depth: number }[] {
  const pids = new Set(tree.map((p) => p.pid));
  const children = new Map<number, ProcessInfo[]>();
  const roots: ProcessInfo[] = [];
  for (const p of tree) {
    if (pids.has(p.ppid) && p.ppid !== p.pid) {
      const list = children.get(p.ppid) ?? [];
      list.push(p);
      children.set(p.ppid, list);
    } else roots.push(p);
  }
  const out: { p: ProcessInfo; depth: number }[] = [];
  const seen = new Set<number>();
  const walk = (p: ProcessInfo, depth: number) => {
    if (seen.has(p.pid)) return;
    seen.add(p.pid);
    out.push({ p, depth });
    for (const c of (children.get(p.pid) ?? []).sort((a, b) => a.pid - b.pid)) walk(c, depth + 1);
  };
  for (const r of roots.sort((a, b) => a.pid - b.pid)) walk(r, 0);
  return out;
}

const ProcessTree = memo(function ProcessTree({ tree }: { tree: ProcessInfo[] }) {
  if (tree.length === 0) return <p className="muted empty-line">No live processes.</p>;
  return (
    <table className="proc-tree" aria-label="Process tree">
      <thead>
        <tr><th className="num">PID</th><th>Name</th><th>St</th><th className="num">CPU</th><th className="num">RSS</th></tr>
      </thead>
      <tbody>
        {treeOrder(tree).map(({ p, depth }) => (
          <tr key={p.pid}>
            <td className="num">{p.pid}</td>
            <td style={{ paddingLeft: 4 + depth * 12 }} title={p.name === processName(p.name) ? undefined : `${p.name} (the name the process gave its main thread)`}>
              {depth > 0 ? '└ ' : ''}
              {processName(p.name)}
            </td>
            <td>{p.state}</td>
            <td className="num">{formatPercent(p.cpuPercent)}</td>
            <td className="num">{formatBytes(p.rss)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
});

function History({ points }: { points: SeriesPoint[] }) {
  const palette = usePalette();
  const [ref, width] = useElementWidth<HTMLDivElement>();
  // The element stays the same either way: its width is measured once, when it mounts.
  return (
    <div ref={ref} className="chart small">
      {!hasSamples(points) ? (
        <p className="no-samples">no samples yet</p>
      ) : (
        width > 0 && <HistoryChart points={points} width={width} cpu={palette.cpu} mem={palette.mem} axis={palette.axis} />
      )}
      <p className="chart-key">
        <span className="key-cpu">CPU (left axis)</span> · <span className="key-mem">RSS (right axis)</span>
      </p>
    </div>
  );
}

const HistoryChart = memo(function HistoryChart(p: { points: SeriesPoint[]; width: number; cpu: string; mem: string; axis: string }) {
  // Round ticks (0, 2 … 10 %; 0, 20 … 60 MiB) with headroom, so a flat series is not drawn on the frame.
  const cpuTicks = valueTicks(p.points.reduce((m, x) => Math.max(m, x.cpu), 0) * 1.1, 10, 1);
  const rssTicks = valueTicks(p.points.reduce((m, x) => Math.max(m, x.rss), 0) * 1.1, mib, 1024);
  return (
    <LineChart width={p.width} height={106} data={p.points} margin={{ top: 6, right: 4, bottom: 6, left: 0 }}>
      <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={formatClock} stroke={p.axis} tick={{ fontSize: 9 }} minTickGap={40} height={16} />
      <YAxis yAxisId="cpu" width={40} stroke={p.cpu} tick={{ fontSize: 9 }} tickFormatter={(v: number) => formatPercent(v)} domain={[0, cpuTicks.at(-1) ?? 1]} ticks={cpuTicks} interval={0} />
      <YAxis yAxisId="rss" orientation="right" width={62} stroke={p.mem} tick={{ fontSize: 9 }} tickFormatter={(v: number) => formatBytes(v)} domain={[0, rssTicks.at(-1) ?? 1]} ticks={rssTicks} interval={0} />
      <Line yAxisId="cpu" dataKey="cpu" name="CPU" type="linear" isAnimationActive={false} dot={false} stroke={p.cpu} strokeWidth={1.5} />
      <Line yAxisId="rss" dataKey="rss" name="RSS" type="linear" isAnimationActive={false} dot={false} stroke={p.mem} strokeWidth={1.5} />
    </LineChart>
  );
});
