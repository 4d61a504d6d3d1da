import { describe, expect, it } from 'vitest';
import type { Notice } from '../../../../main/contract/types.js';
import { classifyNotice, groupEvents, groupTitle, needsAttention } from '../../../../renderer/lib/eventLog.js';
import { UiStore, maxEvents } from '../../../../renderer/store/uiStore.js';

const notice = (over: Partial<Notice>): Notice => ({ level: 'warn', kind: 'info', message: '', time: 1000, ...over });

describe('event log', () => {
  it('sorts notices into failures, retries, stuck verdicts and plain notices', () => {
    expect(classifyNotice(notice({ kind: 'task-failed', taskSeq: 3, message: 'task 3 failed: exit 3' }))).toEqual({ category: 'failure', reason: 'failed: exit 3', taskSeq: 3 });
    expect(classifyNotice(notice({ taskSeq: 4, message: 'task 4 failed: exit 3 — retrying in 1.0 s (attempt 2 of 3)' }))).toEqual({ category: 'retry', reason: 'failed: exit 3 — retried', taskSeq: 4 });
    expect(classifyNotice(notice({ kind: 'task-stuck', taskSeq: 5, message: 'task 5 looks stuck: no output for 60 s' }))).toEqual({ category: 'stuck', reason: 'judged stuck', taskSeq: 5 });
    expect(classifyNotice(notice({ kind: 'job-finished', message: 'demo finished: 3 ok' })).category).toBe('notice');
  });

  it('groups twenty failures with one reason into one line, apart from another reason', () => {
    const ui = new UiStore();
    for (let i = 1; i <= 20; i++) ui.notify(notice({ kind: 'task-failed', taskSeq: i, message: `task ${i} failed: exit 3`, time: 1000 + i }));
    ui.notify(notice({ kind: 'task-failed', taskSeq: 21, message: 'task 21 timeout', time: 5000 }));
    const groups = groupEvents(ui.events.get());
    expect(groups.map(groupTitle)).toEqual(['task 21 timeout', '20 tasks failed: exit 3']);
    expect(groups[1].seqs).toHaveLength(20);
    expect(groupEvents(ui.events.get(), 'retry')).toEqual([]);
  });

  it('counts a task that failed the same way twice once, and says how many times', () => {
    const ui = new UiStore();
    for (const seq of [1, 2, 1]) ui.notify(notice({ taskSeq: seq, message: `task ${seq} failed: exit 1 — retrying (attempt 2 of 3)` }));
    expect(groupEvents(ui.events.get()).map(groupTitle)).toEqual(['2 tasks failed: exit 1 — retried (3 times)']);
  });

  it('raises one toast at a time, only for what needs attention, and logs everything', () => {
    const ui = new UiStore();
    const attention: string[] = [];
    ui.onAttention = (n) => attention.push(n.message);
    for (let i = 1; i <= 5; i++) ui.notify(notice({ kind: 'task-failed', taskSeq: i, message: `task ${i} failed: exit 3` }));
    expect(ui.toasts.get()).toEqual([]);
    ui.notify(notice({ kind: 'task-stuck', taskSeq: 9, message: 'task 9 looks stuck: silent' }));
    ui.notify(notice({ kind: 'job-finished', level: 'info', message: 'job finished: 4 ok' }));
    expect(ui.toasts.get().map((t) => t.message)).toEqual(['job finished: 4 ok']);
    expect(attention).toEqual(['task 9 looks stuck: silent', 'job finished: 4 ok']);
    expect(ui.events.get()).toHaveLength(7);
    expect(needsAttention(notice({ kind: 'task-failed' }))).toBe(false);
  });

  it('keeps a bounded log, dropping the oldest', () => {
    const ui = new UiStore();
    for (let i = 0; i < maxEvents + 10; i++) ui.notify(notice({ message: `n${i}` }));
    expect(ui.events.get()).toHaveLength(maxEvents);
    expect(ui.events.get()[0].message).toBe('n10');
  });
});

describe('event log from a snapshot', () => {
  it('takes the supervisor\'s notices from a snapshot, keeps the user\'s own commands, and raises no toast', () => {
    const ui = new UiStore();
    ui.notify(notice({ kind: 'task-failed', taskSeq: 1, message: 'task 1 failed: exit 3', time: 10 }));
    ui.logAction('kill', 'killed by you', 'task 2 killed by you', 2);
    ui.restoreNotices([1, 2, 3].map((i) => notice({ kind: 'task-failed', taskSeq: i, message: `task ${i} failed: exit 3`, time: i })));
    expect(groupEvents(ui.events.get()).map(groupTitle)).toEqual(['task 2 killed by you', '3 tasks failed: exit 3']);
    expect(ui.toasts.get()).toEqual([]);
  });
});
