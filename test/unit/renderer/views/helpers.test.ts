import { describe, expect, it } from 'vitest';
import type { CorralApi } from '../../../../main/contract/api.js';
import type { JobFileIssue, Result } from '../../../../main/contract/types.js';
import { createActions } from '../../../../renderer/app/actions.js';
import { shortcutFor } from '../../../../renderer/app/shortcuts.js';
import { UiStore } from '../../../../renderer/store/uiStore.js';
import { connectionMessage, needsLinkMessage } from '../../../../renderer/views/Shell.js';
import { splitStuck, suspectSummary } from '../../../../renderer/views/StuckTasks.js';
import { actionsFor } from '../../../../renderer/views/TaskActions.js';
import { stopStepText, treeOrder } from '../../../../renderer/views/TaskDetail.js';
import { task } from '../fixtures.js';

describe('connectionMessage', () => {
  const base = { attempts: 0, retryAt: null, everOpened: false };
  it('asks for the serve link when the token is missing or refused', () => {
    expect(needsLinkMessage).toBe('This dashboard needs the link printed by `corral serve`.');
    expect(connectionMessage({ ...base, state: 'no-token' }, 0)).toBe(
      "No access token in this page's address. This dashboard needs the link printed by `corral serve`.",
    );
    expect(connectionMessage({ ...base, state: 'refused' }, 0)).toBe(
      "The server refused this dashboard's token (it changes every time corral serve starts). This dashboard needs the link printed by `corral serve`.",
    );
  });
  it('counts down to the next reconnect', () => {
    expect(connectionMessage({ state: 'closed', attempts: 2, retryAt: 3000, everOpened: true }, 1000)).toBe(
      'Disconnected from the Corral server. Retrying in 2 s.',
    );
    expect(connectionMessage({ state: 'closed', attempts: 1, retryAt: 500, everOpened: false }, 0)).toBe(
      'Cannot reach the Corral server, or it refused the connection. Retrying in 1 s. This dashboard needs the link printed by `corral serve`.',
    );
    expect(connectionMessage({ ...base, state: 'open', everOpened: true }, 0)).toBeNull();
    expect(connectionMessage({ ...base, state: 'connecting', attempts: 1, everOpened: true }, 0)).toBe('Reconnecting to the Corral server…');
  });
});

describe('stopStepText', () => {
  const stop = { mode: 'graceful' as const, step: 'TERM', next: 'KILL', nextAt: 10_000, startedAt: 0, reason: 'user' as const };
  it('shows the step just sent and a countdown to the next', () => {
    expect(stopStepText(stop, 3_000)).toBe('Sent TERM — KILL in 7 s');
    expect(stopStepText(stop, 12_000)).toBe('Sent TERM — KILL in 0 s');
    expect(stopStepText({ ...stop, step: 'KILL', next: null, nextAt: null }, 0)).toBe('Sent KILL — waiting for the process tree to exit');
  });
});

describe('treeOrder', () => {
  it('puts children under their parents, depth-first', () => {
    const p = (pid: number, ppid: number) => ({ pid, ppid, name: `p${pid}`, state: 'S', cpuPercent: 0, rss: 0 });
    const out = treeOrder([p(30, 10), p(10, 1), p(20, 10), p(40, 20)]);
    expect(out.map((x) => [x.p.pid, x.depth])).toEqual([[10, 0], [20, 1], [40, 2], [30, 1]]);
  });
});

describe('actionsFor', () => {
  it('offers only actions valid in each state', () => {
    expect(actionsFor('running')).toEqual(['stop', 'kill', 'pause', 'show']);
    expect(actionsFor('paused')).toEqual(['resume', 'stop', 'kill', 'show']);
    expect(actionsFor('stopping')).toEqual(['kill', 'show']);
    expect(actionsFor('queued')).toEqual(['show']);
    expect(actionsFor('failed')).toEqual(['retry', 'show']);
  });
});

describe('shortcutFor', () => {
  it('maps keys outside fields and ignores them while typing', () => {
    expect(shortcutFor(' ', { tagName: 'DIV' })).toBe('toggle-dispatch');
    expect(shortcutFor(' ', { tagName: 'BUTTON' })).toBeNull();
    expect(shortcutFor('k', { tagName: 'BODY' })).toBe('kill-all');
    expect(shortcutFor('D', null)).toBe('drain');
    expect(shortcutFor('s', { tagName: 'INPUT' })).toBeNull();
    expect(shortcutFor('?', { tagName: 'TEXTAREA' })).toBeNull();
    expect(shortcutFor('?', { tagName: 'DIV' })).toBe('help');
  });
});

describe('createActions', () => {
  const issue: JobFileIssue = { file: '<pasted>', line: 3, column: 5, path: 'inputs', message: 'expected a list', text: '<pasted>:3:5: inputs: expected a list' };
  function fakeApi(result: Result<unknown>) {
    return new Proxy({}, { get: () => async () => result }) as CorralApi;
  }
  it('shows located issues of an invalid job file and a toast', async () => {
    const ui = new UiStore();
    const a = createActions(fakeApi({ ok: false, error: { code: 'JOB_INVALID', message: 'The job file has 1 problem.', details: [issue] } }), ui);
    expect(await a.loadText('x')).toBe(false);
    expect(ui.jobIssues.get()).toEqual([issue]);
    expect(ui.toasts.get().map((t) => t.message)).toEqual(['Load job failed: The job file has 1 problem.']);
  });
  it('names the failed command in the toast', async () => {
    const ui = new UiStore();
    const a = createActions(fakeApi({ ok: false, error: { code: 'BAD_STATE', message: 'Task 7 is not paused.' } }), ui);
    await a.resumeTask(7);
    await a.killTask(7, 'force');
    // One toast at a time (the newest); the event log keeps both.
    expect(ui.toasts.get().map((t) => t.message)).toEqual(['Kill task 7 failed: Task 7 is not paused.']);
    expect(ui.events.get().map((e) => e.message)).toEqual(['Resume task 7 failed: Task 7 is not paused.', 'Kill task 7 failed: Task 7 is not paused.']);
  });
});

describe('splitStuck', () => {
  it('puts the stuck verdicts first and folds suspect hints apart, keeping the store\'s order', () => {
    const rows = [task(1, { state: 'suspect' }), task(2, { state: 'stuck' }), task(3, { state: 'suspect' }), task(4, { state: 'stuck' })];
    const { stuck, suspect } = splitStuck(rows);
    expect(stuck.map((t) => t.seq)).toEqual([2, 4]);
    expect(suspect.map((t) => t.seq)).toEqual([1, 3]);
  });
  it('names the folded hints', () => {
    expect(suspectSummary(1)).toBe('1 suspect task — hints, not verdicts');
    expect(suspectSummary(3)).toBe('3 suspect tasks — hints, not verdicts');
  });
});
