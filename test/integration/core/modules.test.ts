import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fixtures, runJob, startJob, trackPid, waitFor, withDeadline, yamlList } from './helpers.js';

// Module tasks in the reused host: failures stay with their task, the slot gets a fresh host.
afterEach(cleanup);

const esm = join(fixtures, 'behave.mjs');
const cjs = join(fixtures, 'behave.cjs');
const job = (module: string, inputs: string[], extra = '') =>
  `name: modules\nmodule: ${JSON.stringify(module)}\nconcurrency: 1\ninputs:\n  list: ${yamlList(inputs)}\n${extra}`;

interface Ok {
  value: string;
  pid: number;
  slot: number;
}

describe('module tasks', () => {
  it('runs ESM and CommonJS modules, reusing one host per slot', async () => {
    const h = await runJob(job(esm, ['ok:a', 'ok:b']));
    const [a, b] = [h.sup.taskResult(1) as Ok, h.sup.taskResult(2) as Ok];
    expect(a).toMatchObject({ value: 'a', slot: 1 });
    expect(b).toMatchObject({ value: 'b', slot: 1 });
    expect(b.pid).toBe(a.pid); // same host
    const c = await runJob(job(cjs, ['x']));
    expect(c.task(1).outcome).toBe('ok');
    expect(c.sup.taskResult(1)).toMatchObject({ cjs: 'x', slot: 1 });
  });

  it('gets the job\'s env: over the supervisor\'s environment, like command tasks', async () => {
    const h = await runJob(job(esm, ['env:CORRAL_TEST_GREETING', 'env:LC_ALL', 'env:PATH'], 'env: { CORRAL_TEST_GREETING: hello, LC_ALL: C }\n'));
    expect(h.sup.taskResult(1)).toBe('hello');
    expect(h.sup.taskResult(2)).toBe('C');
    expect(h.sup.taskResult(3)).toBe(process.env.PATH);
  });

  it('a task that throws fails only itself; the error keeps its name and message', async () => {
    const h = await runJob(job(esm, ['throw:bad input', 'ok:next']));
    const t = h.task(1);
    expect(t.outcome).toBe('failed');
    expect(t.error).toBe('RangeError: bad input');
    const out = await h.sup.call('getTaskOutput', { seq: 1 });
    expect(out.ok && out.value.text).toMatch(/RangeError: bad input\n\s+at behave/);
    expect(h.task(2).outcome).toBe('ok');
    // A throw does not cost the host: the next task ran in the same process.
    expect((h.sup.taskResult(2) as Ok).pid).toBe(h.task(1).pid);
  });

  it('process.exit(3) in user code fails only that task (code 3 in the error); the next gets a fresh host', async () => {
    const h = await runJob(job(esm, ['exit:3', 'ok:next']));
    const t = h.task(1);
    expect(t.outcome).toBe('failed');
    expect(t.exitCode).toBe(3);
    expect(t.error).toBe('host exited with code 3');
    expect(h.task(2).outcome).toBe('ok');
    expect(h.task(2).slot).toBe(1);
    expect((h.sup.taskResult(2) as Ok).pid).not.toBe(t.pid);
  });

  it('process.exit(0) before the task returned is still a failure: Exitval 1, the host code in the error', async () => {
    const h = await runJob(job(esm, ['exit:0', 'ok:next']));
    const t = h.task(1);
    expect(t.outcome).toBe('failed');
    expect(t.exitCode).toBe(1); // a row reading "0 0 failed" would let --resume-failed skip it
    expect(t.error).toBe('host exited with code 0');
    expect(h.task(2).outcome).toBe('ok');
  });

  it('a host killed by SIGKILL fails only its task (SIGKILL in the error); the next task on the slot runs', async () => {
    const h = await startJob(job(esm, ['hang:PIDFILE', 'ok:next']).replace('PIDFILE', '__pid__'));
    // The input names a pid file relative to the host's cwd (the job's folder).
    const pidFile = join(h.dir, '__pid__');
    const pid = Number(await waitFor('the host to write its pid', () => existsSync(pidFile) && readFileSync(pidFile, 'utf8')));
    trackPid(pid);
    expect(h.task(1).pid).toBe(pid);
    process.kill(pid, 'SIGKILL');
    await withDeadline(h.finished, 30_000, 'the job to end');
    const t = h.task(1);
    expect(t.outcome).toBe('failed');
    expect(t.signal).toBe('SIGKILL');
    expect(t.error).toBe('host killed by SIGKILL');
    expect(h.task(2).outcome).toBe('ok');
    expect((h.sup.taskResult(2) as Ok).pid).not.toBe(pid);
  });

  it('maxTasksPerWorker recycles hosts', async () => {
    const h = await runJob(job(esm, ['ok:1', 'ok:2', 'ok:3', 'ok:4'], 'maxTasksPerWorker: 2\n'));
    const pids = [1, 2, 3, 4].map((s) => (h.sup.taskResult(s) as Ok).pid);
    expect(pids[0]).toBe(pids[1]);
    expect(pids[2]).toBe(pids[3]);
    expect(pids[2]).not.toBe(pids[0]);
    expect(h.tasks().every((t) => t.outcome === 'ok')).toBe(true);
  });
});
