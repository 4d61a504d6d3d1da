import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../../../main/contract/index.js';
import { addRecent, wantsDemo, jobFileFromArgv, notificationFor, parseRecent, progressFor, quitPrompt } from '../../../main/app/lifecycle.js';
import { menuTemplate } from '../../../main/app/menu.js';

const job = (state: JobInfo['state'], c: Partial<JobInfo['counts']>) =>
  ({ state, counts: { total: 10, queued: 0, running: 0, stuck: 0, done: 0, failed: 0, skipped: 0, ...c } }) as JobInfo;

describe('app life', () => {
  it('finds the job file on a command line', () => {
    expect(jobFileFromArgv(['/opt/Corral/corral', 'jobs/a.yaml'], '/home/u', true)).toBe('/home/u/jobs/a.yaml');
    expect(jobFileFromArgv(['/x/electron', '.', '/abs/b.yml'], '/w', false)).toBe('/abs/b.yml');
    expect(jobFileFromArgv(['/opt/Corral/corral', '--allow-file-access-from-files', 'c.json'], '/w', true)).toBe('/w/c.json');
    expect(jobFileFromArgv(['/x/electron', '.'], '/w', false)).toBeNull();
    expect(jobFileFromArgv(['/opt/Corral/corral', 'notes.txt'], '/w', true)).toBeNull();
  });

  it('shows progress only while a job is active', () => {
    expect(progressFor(null)).toBe(-1);
    expect(progressFor(job('ready', {}))).toBe(-1);
    expect(progressFor(job('running', { done: 3, failed: 1, skipped: 1 }))).toBe(0.5);
    expect(progressFor(job('finished', { done: 10 }))).toBe(-1);
    expect(progressFor({ ...job('running', {}), counts: { ...job('running', {}).counts, total: 0 } })).toBe(-1);
  });

  it('notifies when a job ends or a task turns stuck, nothing else', () => {
    expect(notificationFor({ level: 'info', kind: 'job-finished', message: 'demo: 10 done', time: 0 })).toEqual({ title: 'Corral: job ended', body: 'demo: 10 done' });
    expect(notificationFor({ level: 'warn', kind: 'task-stuck', message: 'no output for 143 s', taskSeq: 7, time: 0 })).toEqual({
      title: 'Corral: task 7 looks stuck',
      body: 'no output for 143 s',
    });
    expect(notificationFor({ level: 'error', kind: 'task-failed', message: 'x', time: 0 })).toBeNull();
  });

  it('asks before quitting with running tasks', () => {
    expect(quitPrompt(1).message).toBe('1 task is still running.');
    const p = quitPrompt(3);
    expect(p.message).toBe('3 tasks are still running.');
    expect(p.detail).toBe("Quitting stops them with the job's kill sequence (then forcefully if they do not exit).");
    expect(p.buttons[p.cancelId]).toBe('Cancel');
    expect(p.buttons[0]).toBe('Stop tasks and quit');
  });

  it('keeps a short recent list, newest first', () => {
    expect(addRecent(['/a', '/b'], '/b')).toEqual(['/b', '/a']);
    expect(addRecent(Array.from({ length: 10 }, (_, i) => `/${i}`), '/new')).toHaveLength(10);
    expect(parseRecent('["/a", 3, "/b"]')).toEqual(['/a', '/b']);
    expect(parseRecent('{broken')).toEqual([]);
  });

  it('puts Open Job… on Ctrl/Cmd+O and lists recent jobs', () => {
    const opened: string[] = [];
    const t = menuTemplate({ openJob: () => opened.push('dialog'), openRecent: (f) => opened.push(f), clearRecent: () => {}, runDemo: () => {} }, ['/jobs/a.yaml'], false);
    const file = t.find((m) => m.label === 'File')!;
    const items = file.submenu as Array<{ label?: string; accelerator?: string; click?: () => void; submenu?: unknown }>;
    const open = items.find((i) => i.label === 'Open Job…')!;
    expect(open.accelerator).toBe('CmdOrCtrl+O');
    open.click!();
    const recent = (items.find((i) => i.label === 'Open Recent')!.submenu as Array<{ label?: string; click?: () => void }>);
    expect(recent[0].label).toBe('a.yaml');
    recent[0].click!();
    expect(opened).toEqual(['dialog', '/jobs/a.yaml']);
    const empty = menuTemplate({ openJob() {}, openRecent() {}, clearRecent() {}, runDemo() {} }, [], true);
    expect(empty[0]).toEqual({ role: 'appMenu' });
  });
});

describe('wantsDemo', () => {
  it('is true only when --demo is on the command line (npm start passes it)', () => {
    expect(wantsDemo(['/x/electron', '/repo', '--demo'])).toBe(true);
    expect(wantsDemo(['/x/electron', '/repo', 'job.yaml'])).toBe(false);
  });
});
