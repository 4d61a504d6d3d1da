import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseJoblog } from '../../../main/core/log/joblog.js';
import { mainExitedUnseen } from '../../../main/core/pool/mainExit.js';
import { cleanup, fixtures, pidAlive, runJob, startJob, tempDir, trackPid, waitFor, withDeadline, yamlList } from './helpers.js';

// What the joblog says about each attempt, checked against GNU parallel 20221122 run here:
// `kill -TERM $$` → Exitval 0, Signal 15; --timeout → -1, 15; Receive counts stdout only; {%} is the slot.
afterEach(cleanup);

const rowsOf = (path: string) => parseJoblog(readFileSync(path, 'utf8'));

describe('joblog columns', () => {
  it('Command renders {%} with the slot the task ran on', async () => {
    const log = join(tempDir(), 'log.tsv');
    const h = await runJob('name: slots\ncommand: echo {%} {#}\nconcurrency: 3\ninputs:\n  range: { from: 1, to: 6 }\n', { joblog: log });
    const rows = rowsOf(log);
    expect(rows).toHaveLength(6);
    for (const r of rows) expect(r.command).toBe(`echo ${h.task(r.seq).slot} ${r.seq}`);
    expect(new Set(rows.map((r) => r.command.split(' ')[1]))).toEqual(new Set(['1', '2', '3']));
  });

  it('Signal is the OS number of any signal (SIGSYS, SIGPROF); Exitval is 0 for a death the task caused itself', async () => {
    const log = join(tempDir(), 'log.tsv');
    await runJob(`name: sigs\ncommand: [sh, -c, "kill -{} $$"]\ninputs:\n  list: ${yamlList(['SYS', 'PROF', 'TERM'])}\n`, { joblog: log });
    const rows = rowsOf(log).sort((a, b) => a.seq - b.seq);
    expect(rows.map((r) => [r.exitval, r.signal, r.outcome])).toEqual([
      [0, constants.signals.SIGSYS, 'failed'],
      [0, constants.signals.SIGPROF, 'failed'],
      [0, constants.signals.SIGTERM, 'failed'],
    ]);
  });

  it('a row ended by a stop of Corral names the kill step in Signal: -1 15 for a TERM trap exiting 0, -1 9 when KILL ended it', async () => {
    const log = join(tempDir(), 'log.tsv');
    // 1: traps TERM and exits 0; 2: ignores TERM (only KILL ends it). Both time out after 1 s.
    const h = await runJob(
      `name: steps\ncommand: [sh, -c, "{}"]\ntimeout: 1s\nkill: TERM,1s,KILL\ninputs:\n  list: ${yamlList(["trap 'exit 0' TERM; sleep 30 & wait", "trap '' TERM; sleep 30"])}\n`,
      { joblog: log },
    );
    const rows = rowsOf(log).sort((a, b) => a.seq - b.seq);
    expect(rows.map((r) => [r.exitval, r.signal, r.outcome])).toEqual([
      [-1, constants.signals.SIGTERM, 'timeout'],
      [-1, constants.signals.SIGKILL, 'timeout'],
    ]);
    expect(h.task(2).error).toMatch(/^timed out after/);
  });

  it('a module task stopped through ctx.signal is named by the kill step the abort stands for: -1 15', async () => {
    const log = join(tempDir(), 'log.tsv');
    // spin:4 blocks its host for 4 s and then returns: the graceful stop reaches it as an abort (the TERM step).
    const h = await startJob(`name: abort\nmodule: ${JSON.stringify(join(fixtures, 'hostTasks.mjs'))}\nkill: TERM,20s,KILL\ninputs:\n  list: ["spin:4"]\n`, { joblog: log });
    // Stop it once user code runs (a stop before that means the task never starts: exit 1, no signal).
    await waitFor('the task spinning in its host', () => (h.task(1).cpuSeconds ?? 0) > 0.2, 60_000);
    await h.sup.call('killTask', { seq: 1, mode: 'graceful' });
    await withDeadline(h.finished, 60_000, 'the job to end');
    expect(rowsOf(log).map((r) => [r.exitval, r.signal, r.outcome])).toEqual([[-1, constants.signals.SIGTERM, 'killed']]);
  });

  it('a retry starts its CPU seconds from zero: the first attempt\'s CPU is not carried into the second', async () => {
    const flag = join(tempDir(), 'tried');
    // Attempt 1 burns 1.5 s of CPU (process time, whatever the load) and fails; attempt 2 sleeps.
    const burn = `import os,time,sys\nif os.path.exists(${JSON.stringify(flag)}): time.sleep(2.5); sys.exit(0)\nopen(${JSON.stringify(flag)}, "w").close()\ne = time.process_time() + 1.5\nwhile time.process_time() < e: pass\nsys.exit(1)`;
    const h = await startJob(`name: retrycpu\ncommand: [python3, -c, ${JSON.stringify(burn)}]\nretries: 1\ninputs:\n  list: [x]\n`);
    await waitFor('attempt 1 sampled busy', () => h.task(1).attempt === 1 && (h.task(1).cpuSeconds ?? 0) > 0.5, 60_000);
    await waitFor('attempt 2 sampled', () => h.task(1).attempt === 2 && h.task(1).state === 'running' && h.task(1).cpuSeconds !== null && h.task(1).cpuSeconds !== undefined, 60_000);
    await new Promise((r) => setTimeout(r, 600)); // two more 250 ms ticks of the sleeping attempt
    expect(h.task(1).attempt).toBe(2);
    expect(h.task(1).cpuSeconds).toBeLessThan(0.3);
    await withDeadline(h.sup.finished(), 60_000, 'the job to finish');
  });

  it('Receive counts the bytes the task wrote to stdout, not stderr nor Corral\'s notes', async () => {
    const log = join(tempDir(), 'log.tsv');
    await runJob('name: recv\ncommand: [sh, -c, "echo out; echo error-text >&2; exit 1"]\nretries: 1\ninputs:\n  list: [x]\n', { joblog: log });
    expect(rowsOf(log).map((r) => [r.attempt, r.receive])).toEqual([[1, 4], [2, 4]]);
  });

  it('JobRuntime of a paused-then-killed task leaves the pause out', async () => {
    const log = join(tempDir(), 'log.tsv');
    const h = await startJob('name: paused\ncommand: [sleep, "{}"]\ninputs:\n  list: [30]\n', { joblog: log });
    await waitFor('the task to run', () => h.task(1).pid);
    expect((await h.sup.call('pauseTask', { seq: 1 })).ok).toBe(true);
    const pausedBy = Date.now();
    await waitFor('a second paused', () => Date.now() - pausedBy > 1000);
    const killAt = Date.now();
    expect(await h.sup.call('killTask', { seq: 1, mode: 'graceful' })).toEqual({ ok: true, value: null });
    await withDeadline(h.finished, 30_000, 'the task to end');
    const t = h.task(1);
    const [row] = rowsOf(log);
    // The pause covered at least [pausedBy, killAt]: none of it is runtime.
    expect(t.runtimeMs).toBeLessThanOrEqual(t.endedAt! - t.startedAt! - (killAt - pausedBy));
    expect(row.runtime).toBeCloseTo(t.runtimeMs / 1000, 3);
    expect([row.exitval, row.signal, row.outcome]).toEqual([-1, constants.signals.SIGTERM, 'killed']);
  });
});

describe('an outcome follows what ended the main process', () => {
  it('the timeout is disarmed when the main process exits: leftover cleanup past it is not a timeout', async () => {
    const log = join(tempDir(), 'log.tsv');
    // The main shell exits 0 at once; its leftover ignores TERM, so cleanup lasts past the 1 s timeout.
    const h = await runJob(
      `name: leftover\ncommand: [sh, -c, "sh -c 'trap \\"\\" TERM; sleep 30' >/dev/null 2>&1 & exit 0"]\ntimeout: 1s\ninputs:\n  list: [x]\n`,
      { joblog: log },
    );
    const t = h.task(1);
    expect([t.outcome, t.exitCode, t.signal, t.error]).toEqual(['ok', 0, null, null]);
    expect(rowsOf(log).map((r) => [r.exitval, r.signal, r.outcome])).toEqual([[0, 0, 'ok']]);
  });

  it('a leftover still holding stdout when the timeout fires is ended, and the exit (0) names the outcome', async () => {
    const log = join(tempDir(), 'log.tsv');
    const h = await startJob('name: holder\ncommand: [sh, -c, "sleep 30 & exit 0"]\ntimeout: 1s\nkill: TERM,1s,KILL\ninputs:\n  list: [x]\n', { joblog: log });
    // Well before the leftover's own 30 s.
    await withDeadline(h.finished, 20_000, 'the leftover to be ended');
    const t = h.task(1);
    expect([t.outcome, t.exitCode, t.signal, t.error]).toEqual(['ok', 0, null, null]);
    expect(rowsOf(log).map((r) => [r.exitval, r.signal, r.outcome])).toEqual([[0, 0, 'ok']]);
  });

  it('40 `exec sleep` tasks ending around their 1 s timeout: every row agrees with itself', async () => {
    const log = join(tempDir(), 'log.tsv');
    await runJob('name: edge\ncommand: exec sleep 0.99{}\ntimeout: 1s\nconcurrency: 8\ninputs:\n  range: { from: 1, to: 40 }\n', { joblog: log, deadlineMs: 120_000 });
    const rows = rowsOf(log);
    expect(rows).toHaveLength(40);
    for (const r of rows) {
      const seen = `${r.seq}: ${r.exitval} ${r.signal} ${r.outcome}`;
      if (r.outcome === 'ok') expect(seen).toBe(`${r.seq}: 0 0 ok`);
      else expect(seen).toMatch(new RegExp(`^${r.seq}: -1 (0|${constants.signals.SIGTERM}) timeout$`));
    }
  });

  it('a main process that exited but is not reaped yet (a zombie) counts as exited', async () => {
    // sh forks `true` and execs sleep, which never reaps it: `true` stays a zombie.
    const child = spawn('sh', ['-c', 'true & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    trackPid(child.pid!);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const zombie = Number(await waitFor('the zombie pid', () => out.trim()));
    await waitFor('true to have exited', () => !pidAlive(zombie));
    expect(mainExitedUnseen({ pid: zombie, kind: 'command', ended: false })).toBe(true);
    expect(mainExitedUnseen({ pid: child.pid!, kind: 'command', ended: false })).toBe(false);
    expect(mainExitedUnseen({ pid: child.pid!, kind: 'command', ended: true })).toBe(true);
    child.kill('SIGKILL');
  });
});
