import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { TaskInfo } from '../../main/contract/types.js';
import { useApp, useValue, useVersion } from '../app/context.js';
import { formatBytes, formatCount, formatCpuSeconds, formatDuration, formatPercent, middleEllipsis } from '../lib/format.js';
import { taskStates, type SortKey, type TaskFilter } from '../store/tasksStore.js';
import { BulkBar } from './BulkBar.js';
import { TaskActions } from './TaskActions.js';
import { TaskSearch } from './TaskSearch.js';
import { rowMove } from './rowKeys.js';

// The task table: only the visible rows exist in the DOM, and only the pages around them in the
// store (asked from the supervisor with getTasks as the user scrolls, sorts or filters), so a job
// of 10 M tasks scrolls like one of 100. Rows are memoised on the task record.

const rowH = 24;

interface Column {
  key: SortKey;
  label: string;
  cls?: string;
}

const columns: Column[] = [
  { key: 'seq', label: '#', cls: 'num' },
  { key: 'input', label: 'Input' },
  { key: 'state', label: 'State' },
  { key: 'slot', label: 'Slot', cls: 'num' },
  { key: 'pids', label: 'PIDs', cls: 'num' },
  { key: 'cpuPercent', label: 'CPU', cls: 'num' },
  { key: 'rss', label: 'RSS', cls: 'num' },
  { key: 'cpuSeconds', label: 'CPU time', cls: 'num' },
  { key: 'runtimeMs', label: 'Runtime', cls: 'num' },
  { key: 'attempt', label: 'Try', cls: 'num' },
];

const filters: { value: TaskFilter; label: string }[] = [
  { value: 'all', label: 'All states' },
  { value: 'active', label: 'Active (running, stuck, stopping, paused)' },
  { value: 'ended', label: 'Ended' },
  ...taskStates.map((s) => ({ value: s as TaskFilter, label: s })),
];

export function TaskTable() {
  const { tasks, ui, api, job } = useApp();
  const version = useVersion(tasks);
  const spec = useValue(ui.view);
  const checked = useValue(ui.checked);
  const total = useValue(job.job)?.counts.total ?? tasks.size;
  const count = tasks.rowCount(spec);
  // A broker run's slot cell names the host too ("a1 · 2"): the column widens (ticks carry hosts then).
  const [withHosts, setWithHosts] = useState(false);
  useEffect(() => api.onTick((t) => setWithHosts(Boolean(t.hosts))), [api]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowH,
    overscan: 12,
  });

  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const end = (items[items.length - 1]?.index ?? 0) + 1;
  // Every change (a tick, a page) re-checks the rows on screen; only missing or stale pages are asked.
  useEffect(() => {
    tasks.ensureRows((q) => api.getTasks(q), spec, first, Math.max(end, first + 1));
  }, [tasks, api, spec, first, end, version]);

  // j/k (and the arrows) move the focus between rows; the row scrolls into view first if needed.
  // The focus moves a frame later, so a key pressed before that moves on from where the last one
  // is going, not from the row that still has the focus (two quick j's are two rows).
  const pendingRow = useRef<number | null>(null);
  const onRowsKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const row = (e.target as HTMLElement).closest<HTMLElement>('[role=row][data-index]');
    if (!row || e.target !== row) return;
    const index = pendingRow.current ?? Number(row.dataset.index);
    if (e.key === 'Enter') {
      ui.selected.set(Number(row.dataset.seq));
      e.preventDefault();
      return;
    }
    const next = rowMove(e.key, index, count);
    if (next === null) return;
    e.preventDefault();
    virtualizer.scrollToIndex(next);
    pendingRow.current = next;
    requestAnimationFrame(() => {
      if (pendingRow.current !== next) return; // a later key has a newer target
      pendingRow.current = null;
      scrollRef.current?.querySelector<HTMLElement>(`[role=row][data-index="${next}"]`)?.focus();
    });
  };

  const sortBy = (key: SortKey) =>
    ui.view.set({ ...spec, sort: key, desc: spec.sort === key ? !spec.desc : key !== 'seq' && key !== 'input' && key !== 'state' });

  return (
    <section aria-label="Task list" className="panel table-panel">
      <div className="panel-head">
        <h2>Tasks</h2>
        <label className="filter">
          <span className="visually-hidden">Filter by state</span>
          <select aria-label="Filter by state" value={spec.filter} onChange={(e) => ui.view.set({ ...spec, filter: e.target.value as TaskFilter })}>
            {filters.map((f) => (
              <option key={f.value} value={f.value}>{f.label}</option>
            ))}
          </select>
        </label>
        <span className="muted num" aria-live="polite">
          {formatCount(count)} of {formatCount(total)}
        </span>
      </div>
      <TaskSearch />
      <BulkBar />
      <div role="table" aria-label="Tasks" aria-rowcount={count + 1} className={withHosts ? 'table with-hosts' : 'table'}>
        <div role="rowgroup" className="thead">
          <div role="row" className="tr" aria-rowindex={1}>
            <div role="columnheader" className="th col-check"><span className="visually-hidden">Selected</span></div>
            {columns.map((c) => (
              <div
                key={c.key}
                role="columnheader"
                className={`th col-${c.key} ${c.cls ?? ''}`}
                aria-sort={spec.sort === c.key ? (spec.desc ? 'descending' : 'ascending') : 'none'}
              >
                <button type="button" onClick={() => sortBy(c.key)}>
                  {c.label}
                  <span aria-hidden="true" className="sort-mark">{spec.sort === c.key ? (spec.desc ? '▼' : '▲') : ''}</span>
                </button>
              </div>
            ))}
            <div role="columnheader" className="th col-actions">Actions</div>
          </div>
        </div>
        <div ref={scrollRef} role="rowgroup" className="tbody" onKeyDown={onRowsKey}>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((v) => {
              const t = tasks.rowAt(spec, v.index);
              return t ? <Row key={t.seq} task={t} index={v.index} top={v.start} checked={checked.has(t.seq)} /> : <Loading key={`row-${v.index}`} index={v.index} top={v.start} />;
            })}
          </div>
          {count === 0 && <div className="empty">{total === 0 ? 'No tasks yet.' : 'No task in this state.'}</div>}
        </div>
      </div>
    </section>
  );
}

/** A row whose page is on its way from the supervisor. */
function Loading({ index, top }: { index: number; top: number }) {
  return (
    <div role="row" className="tr loading" aria-rowindex={index + 2} aria-busy="true" style={{ transform: `translateY(${top}px)` }}>
      <div role="cell" className="td col-check" />
      <div role="cell" className="td col-seq num muted">…</div>
    </div>
  );
}

const Row = memo(function Row({ task: t, index, top, checked }: { task: TaskInfo; index: number; top: number; checked: boolean }) {
  const { ui } = useApp();
  // Focusable (not in the Tab order): j/k move here, Enter opens, actions return focus here.
  return (
    <div
      role="row"
      tabIndex={-1}
      className={`tr state-${t.state}`}
      aria-rowindex={index + 2}
      aria-label={`Task ${t.seq}: ${t.input}, ${t.state}`}
      data-seq={t.seq}
      data-index={index}
      style={{ transform: `translateY(${top}px)` }}
    >
      <div role="cell" className="td col-check">
        <input type="checkbox" aria-label={`Select task ${t.seq}`} checked={checked} onChange={(e) => ui.toggleChecked(t.seq, e.target.checked)} />
      </div>
      <div role="cell" className="td col-seq num">{t.seq}</div>
      <div role="cell" className="td col-input" title={t.input === t.command ? t.input : `${t.input}\n${t.command}`}>{middleEllipsis(t.input, 40)}</div>
      <div role="cell" className="td col-state"><span className={`pill s-${t.state}`}>{t.state}</span></div>
      <div role="cell" className="td col-slot num" title={t.host ? `host ${t.host}, lane ${t.slot ?? ''}` : undefined}>{t.host ? `${t.host} · ${t.slot ?? ''}` : (t.slot ?? '')}</div>
      <div role="cell" className="td col-pids num" title={t.pids.join(' ')}>{t.pids.length ? (t.pids.length === 1 ? t.pids[0] : `${t.pid ?? t.pids[0]} +${t.pids.length - 1}`) : ''}</div>
      <div role="cell" className="td col-cpuPercent num">{t.pids.length ? formatPercent(t.cpuPercent) : ''}</div>
      <div role="cell" className="td col-rss num">{t.pids.length ? formatBytes(t.rss) : t.peakRss ? formatBytes(t.peakRss) : ''}</div>
      <div role="cell" className="td col-cpuSeconds num">{t.attempt ? formatCpuSeconds(t.cpuSeconds) : ''}</div>
      <div role="cell" className="td col-runtimeMs num">{t.attempt ? formatDuration(t.runtimeMs) : ''}</div>
      <div role="cell" className="td col-attempt num">{t.attempt || ''}</div>
      <div role="cell" className="td col-actions"><TaskActions seq={t.seq} state={t.state} /></div>
    </div>
  );
});
