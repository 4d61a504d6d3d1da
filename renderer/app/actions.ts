import type { CorralApi } from '../../main/contract/api.js';
import type { JobFileIssue, KillMode, Result, Settings } from '../../main/contract/types.js';
import type { Value } from '../store/emitter.js';
import type { EventCategory } from '../lib/eventLog.js';
import type { UiStore } from '../store/uiStore.js';

// Every user command goes through here: one place that turns a failed Result into a toast
// (or, for job files, into located issues shown beside the editor) and logs what was done.

export type Actions = ReturnType<typeof createActions>;

const pageSize = 500;

/** `settings`: the job store's settings value, updated when the user changes them here. */
export function createActions(api: CorralApi, ui: UiStore, settings?: Value<Settings | null>) {
  async function call<T>(what: string, p: Promise<Result<T>>): Promise<Result<T>> {
    const r = await p;
    if (!r.ok) ui.notify({ level: 'error', kind: 'error', message: `${what} failed: ${r.error.message}`, time: Date.now() });
    return r;
  }

  /** A command that went through is written to the event log (tasks group by what was done to them). */
  async function logged<T>(p: Promise<Result<T>>, category: EventCategory, message: string, seq: number | null = null): Promise<Result<T>> {
    const r = await p;
    if (r.ok) ui.logAction(category, seq === null ? message : message.replace(/^task \d+ /, ''), message, seq);
    return r;
  }

  function actionsKill(seq: number, mode: KillMode) {
    return logged(call(`${mode === 'force' ? 'Kill' : 'Stop'} task ${seq}`, api.killTask({ seq, mode })), 'kill', `task ${seq} ${mode === 'force' ? 'killed' : 'stopped'} by you`, seq);
  }

  async function load(r: Result<unknown>): Promise<boolean> {
    if (r.ok) {
      ui.jobIssues.set([]);
      return true;
    }
    if (r.error.code === 'JOB_INVALID' && Array.isArray(r.error.details)) {
      ui.jobIssues.set(r.error.details as JobFileIssue[]);
    } else {
      ui.jobIssues.set([]);
    }
    ui.notify({ level: 'error', kind: 'error', message: `Load job failed: ${r.error.message}`, time: Date.now() });
    return false;
  }

  return {
    pause: () => call('Pause dispatch', api.pauseDispatch(undefined)),
    resume: () => call('Resume dispatch', api.resumeDispatch(undefined)),
    drain: () => logged(call('Drain', api.stopJob({ mode: 'drain' })), 'kill', 'You drained the job: running tasks finish, nothing new starts.'),
    stopAll: () => logged(call('Stop all', api.stopJob({ mode: 'graceful' })), 'kill', 'You stopped all tasks (kill sequence).'),
    killAll: () => logged(call('Kill all', api.stopJob({ mode: 'force' })), 'kill', 'You force-killed all tasks.'),
    start: () => call('Start', api.startJob(undefined)),
    resize: (size: number) => logged(call('Resize pool', api.resizePool({ size })), 'resize', `You resized the pool to ${size}.`),
    killSlot: (slot: number, mode: KillMode) =>
      logged(call(`${mode === 'force' ? 'Kill' : 'Stop'} slot ${slot}`, api.killSlot({ slot, mode })), 'kill', `You ${mode === 'force' ? 'killed' : 'stopped'} slot ${slot}'s task.`),
    killTask: (seq: number, mode: KillMode) => actionsKill(seq, mode),
    pauseTask: (seq: number) => call(`Pause task ${seq}`, api.pauseTask({ seq })),
    resumeTask: (seq: number) => call(`Resume task ${seq}`, api.resumeTask({ seq })),
    retryTask: (seq: number) => call(`Retry task ${seq}`, api.retryTask({ seq })),
    setTick: async (tickMs: number) => {
      const r = await call('Change sampling interval', api.setSettings({ tickMs }));
      if (r.ok) {
        settings?.set(r.value);
        ui.logAction('notice', `sampling every ${tickMs} ms`, `You set sampling to every ${tickMs < 1000 ? `${tickMs} ms` : `${tickMs / 1000} s`}.`);
      }
      return r;
    },
    startRemaining: () => logged(call('Start remaining', api.startRemaining(undefined)), 'notice', 'You started the remaining tasks.'),
    /** Each seq in turn; returns how many the supervisor took (the failures are toasted and logged). */
    killMany: async (seqs: readonly number[], mode: KillMode) => {
      let n = 0;
      for (const seq of seqs) if ((await actionsKill(seq, mode)).ok) n++;
      return n;
    },
    retryMany: async (seqs: readonly number[]) => {
      let n = 0;
      for (const seq of seqs) if ((await call(`Retry task ${seq}`, api.retryTask({ seq }))).ok) n++;
      if (n) ui.logAction('retry', `retried by you`, `You retried ${n} ${n === 1 ? 'task' : 'tasks'}.`);
      return n;
    },
    /** Every task that ended in failure (failed, timed out, memory-killed), page by page. */
    failedSeqs: async () => {
      const seqs: number[] = [];
      for (const filter of ['failed', 'timeout', 'memory-killed'] as const) {
        for (let offset = 0; ; offset += pageSize) {
          const r = await call('List failed tasks', api.getTasks({ offset, limit: pageSize, filter }));
          if (!r.ok) return seqs;
          seqs.push(...r.value.tasks.map((t) => t.seq));
          if (offset + pageSize >= r.value.total) break;
        }
      }
      return seqs;
    },
    exportJoblog: async () => {
      const r = await call('Export joblog', api.exportJoblog(undefined));
      return r.ok ? r.value.text : null;
    },
    killLeftovers: async () => {
      const r = await call('Kill leftovers', api.killLeftovers(undefined));
      if (r.ok) ui.notify({ level: 'info', kind: 'leftovers', message: `Killed ${r.value.killed} leftover processes.`, time: Date.now() });
      return r;
    },
    loadText: async (text: string) => load(await api.loadJob({ text })),
    loadPath: async (path: string) => load(await api.loadJob({ path })),
    runDemo: async (which: 'node' | 'python' = 'node') => {
      if (!(await load(await api.loadJob({ demo: which === 'python' ? 'python' : true })))) return false;
      return (await call('Start', api.startJob(undefined))).ok;
    },
  };
}
