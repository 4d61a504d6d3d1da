import { isAbsolute, resolve } from 'node:path';
import type { JobInfo, Notice } from '../contract/index.js';
import { pathFromArg } from './startup.js';

// App-life decisions as pure functions: what file the command line names, what the taskbar
// shows, what deserves a desktop notification, what quitting asks.

const jobExtensions = /\.(ya?ml|json)$/i;

/**
 * The job file named on a command line (first launch or a second instance's argv), as a path or a
 * file:// URI (desktop launchers pass %U). Skips the executable (and the app folder when
 * unpackaged) and Chromium/Electron switches.
 */
export function jobFileFromArgv(argv: readonly string[], cwd: string, isPackaged: boolean): string | null {
  const args = argv.slice(isPackaged ? 1 : 2);
  for (const arg of args) {
    if (arg.startsWith('-')) continue;
    const file = pathFromArg(arg);
    if (file && jobExtensions.test(file)) return isAbsolute(file) ? file : resolve(cwd, file);
  }
  return null;
}

/** `--demo` on the command line (what `npm start` passes): load the embedded demo and start it. */
export function wantsDemo(argv: readonly string[]): boolean {
  return argv.includes('--demo');
}

const activeStates = new Set(['running', 'paused', 'draining', 'stopping']);

/** setProgressBar's value: the finished fraction while a job is active, -1 (no bar) otherwise. */
export function progressFor(job: JobInfo | null): number {
  if (!job || !activeStates.has(job.state) || job.counts.total === 0) return -1;
  const c = job.counts;
  return Math.min(1, (c.done + c.failed + c.skipped) / c.total);
}

/** A desktop notification for the notices a user would want while the window is in the background. */
export function notificationFor(notice: Notice): { title: string; body: string } | null {
  if (notice.kind === 'job-finished') return { title: 'Corral: job ended', body: notice.message };
  if (notice.kind === 'task-stuck') return { title: `Corral: task ${notice.taskSeq ?? ''} looks stuck`.replace('  ', ' '), body: notice.message };
  return null;
}

export const quitButtons = Object.freeze(['Stop tasks and quit', 'Cancel']);

/** The question asked when quitting with tasks running (index 0 = quit). */
export function quitPrompt(running: number) {
  return {
    type: 'question' as const,
    buttons: [...quitButtons],
    defaultId: 1,
    cancelId: 1,
    message: running === 1 ? '1 task is still running.' : `${running} tasks are still running.`,
    detail: 'Quitting stops them with the job\'s kill sequence (then forcefully if they do not exit).',
  };
}

/** How long quitting waits for a graceful stop before exiting anyway (the supervisor forces after its own budget). */
export const quitBudgetMs = 30_000;

/** Most recent first, no duplicates, at most max entries. */
export function addRecent(list: readonly string[], file: string, max = 10): string[] {
  return [file, ...list.filter((f) => f !== file)].slice(0, max);
}

export function parseRecent(text: string): string[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, 10) : [];
  } catch {
    return [];
  }
}
