import type { CorralApi } from '../../main/contract/api.js';
import type { JobFileIssue, KillMode, Result } from '../../main/contract/types.js';
import type { EventCategory } from '../lib/eventLog.js';
import type { UiStore } from '../store/uiStore.js';

// Every user command goes through here: one place that turns a failed Result into a toast
// (or, for job files, into located issues shown beside the editor) and logs what was done.

export type Actions = ReturnType<typeof createActions>;

export function createActions(api: CorralApi, ui: UiStore) {
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
    killTask: (seq: number, mode: KillMode) =>
      logged(call(`${mode === 'force' ? 'Kill' : 'Stop'} task ${seq}`, api.killTask({ seq, mode })), 'kill', `task ${seq} ${mode === 'force' ? 'killed' : 'stopped'} by you`, seq),
    pauseTask: (seq: number) => call(`Pause task ${seq}`, api.pauseTask({ seq })),
    resumeTask: (seq: number) => call(`Resume task ${seq}`, api.resumeTask({ seq })),
    retryTask: (seq: number) => call(`Retry task ${seq}`, api.retryTask({ seq })),
    killLeftovers: async () => {
      const r = await call('Kill leftovers', api.killLeftovers(undefined));
      if (r.ok) ui.notify({ level: 'info', kind: 'leftovers', message: `Killed ${r.value.killed} leftover processes.`, time: Date.now() });
      return r;
    },
    loadText: async (text: string) => load(await api.loadJob({ text })),
    loadPath: async (path: string) => load(await api.loadJob({ path })),
    runDemo: async () => {
      if (!(await load(await api.loadJob({ demo: true })))) return false;
      return (await call('Start', api.startJob(undefined))).ok;
    },
  };
}
