import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { existsSync, mkdirSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SupervisorEntry, Tick } from '../../../main/contract/index.js';
import { cleanup, cliBin, repoRoot, sleepers, tempDir, waitFor, withDeadline } from '../core/helpers.js';
import { spawnCli } from '../cli/cli.js';
import { connectWsApi } from '../../support/wsClient.js';
import { createSupervisor } from '../../../main/core/supervisor.js';
import { createAttachable, startControlServer } from '../../../main/core/control/index.js';

// The control socket: a `corral run` in a terminal, attached from `corral serve` and stopped from there.

afterEach(cleanup);

/** `corral run` under script(1): a pseudo-terminal, as a user's shell gives it */
function runInTerminal(jobFile: string, state: string) {
  const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(cliBin)} run ${JSON.stringify(jobFile)}`;
  const child = spawn('script', ['-qfec', cmd, '/dev/null'], { cwd: repoRoot, env: { ...process.env, CORRAL_STATE_DIR: state }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  return { child, exit, output: () => out };
}

describe('control socket', () => {
  it('attaches `corral serve` to a `corral run` in a terminal, watches its ticks and stops it', async () => {
    const state = tempDir();
    const jobFile = join(tempDir(), 'long.yaml');
    writeFileSync(jobFile, 'name: over-ssh\ncommand: sleep {}\nconcurrency: 2\ninputs:\n  list: [313.1, 313.2, 313.3]\n');
    const run = runInTerminal(jobFile, state);
    await waitFor('the run to start its tasks', () => sleepers('313.1').length + sleepers('313.2').length === 2, 60_000);

    const serve = spawnCli(['serve', '--port', '0'], { env: { CORRAL_STATE_DIR: state } });
    const url = await waitFor('the dashboard URL', () => /dashboard at (\S+)/.exec(serve.stdout)?.[1], 60_000);
    const client = await connectWsApi(url);
    try {
      const list = await client.api.listSupervisors(undefined);
      if (!list.ok) throw new Error(list.error.message);
      const other = list.value.find((e: SupervisorEntry) => e.jobName === 'over-ssh');
      expect(other).toMatchObject({ self: false, attached: false, jobName: 'over-ssh' });
      expect(list.value.filter((e) => e.self)).toHaveLength(1);

      // The run's control files are the user's alone.
      expect(statSync(join(state, 'control')).mode & 0o777).toBe(0o700);
      expect(statSync(other!.socket).mode & 0o777).toBe(0o600);

      const attached = await client.api.attachSupervisor({ pid: other!.pid });
      expect(attached).toEqual({ ok: true, value: { ...other, attached: true } });
      const ticks: Tick[] = [];
      client.api.onTick((t) => ticks.push(t));
      const snap = await client.api.getSnapshot(undefined);
      if (!snap.ok) throw new Error(snap.error.message);
      expect(snap.value.job).toMatchObject({ name: 'over-ssh', state: 'running' });
      await waitFor('a tick of the attached run', () => ticks.find((t) => t.job?.name === 'over-ssh' && t.n > snap.value.tick));

      const stop = await client.api.stopJob({ mode: 'force' });
      expect(stop).toEqual({ ok: true, value: null });
      const code = await withDeadline(run.exit, 60_000, 'corral run to exit');
      expect(run.output()).toContain('over-ssh: stopped');
      expect(code).toBe(1);
      expect([...sleepers('313.1'), ...sleepers('313.2'), ...sleepers('313.3')]).toEqual([]);

      // The run is gone: the page is back on serve's own supervisor, and says so.
      await waitFor('the detach', async () => {
        const l = await client.api.listSupervisors(undefined);
        return l.ok && l.value.length === 1 && l.value[0].self && l.value[0].attached;
      });
    } finally {
      await client.close();
      serve.child.kill('SIGTERM');
      await serve.result;
    }
  });

  it('removes the entry and socket of a supervisor that died by kill -9', async () => {
    const state = tempDir();
    const jobFile = join(tempDir(), 'killed.yaml');
    writeFileSync(jobFile, 'name: doomed\ncommand: sleep {}\ninputs:\n  list: [313.4]\n');
    const run = spawnCli(['run', jobFile], { env: { CORRAL_STATE_DIR: state } });
    const files = () => (existsSync(join(state, 'control')) ? readdirSync(join(state, 'control')).sort() : []);
    await waitFor('its socket', () => files().includes(`${run.child.pid}.sock`), 60_000);
    run.child.kill('SIGKILL');
    await run.result.catch(() => null);
    // The kill may land while the entry is (re)written: <pid>.json.tmp with or without <pid>.json.
    const pid = run.child.pid!;
    expect(files().filter((f) => ![`${pid}.json`, `${pid}.json.tmp`].includes(f))).toEqual([`${pid}.sock`]);
    const sup = createSupervisor({ stateDir: state, orphanGuard: false, joblog: null });
    try {
      const list = await sup.call('listSupervisors', {});
      expect(list).toEqual({ ok: true, value: [] });
      expect(files()).toEqual([]);
    } finally {
      await sup.close();
      for (const p of sleepers('313.4')) process.kill(p, 'SIGKILL');
    }
  });

  it('removes the socket and half-written entry a supervisor killed before its entry landed leaves, and keeps a live one starting', async () => {
    const state = tempDir();
    const dir = join(state, 'control');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // A dead pid: a socket nobody listens on and an entry that never got renamed into place.
    const dead = spawnSync('true').pid!;
    writeFileSync(join(dir, `${dead}.sock`), '');
    writeFileSync(join(dir, `${dead}.json.tmp`), '{"pid":');
    // A live pid that is not a supervisor (a reused pid): its stray socket refuses connections.
    const other = spawn('sleep', ['313.6']);
    writeFileSync(join(dir, `${other.pid}.sock`), '');
    // A live listener whose entry is not written yet (a supervisor starting): kept.
    const starting = createServer().listen(join(dir, `${process.ppid}.sock`));
    await once(starting, 'listening');
    const sup = createSupervisor({ stateDir: state, orphanGuard: false, joblog: null });
    try {
      expect(await sup.call('listSupervisors', {})).toEqual({ ok: true, value: [] });
      expect(readdirSync(dir).sort()).toEqual([`${process.ppid}.sock`]);
    } finally {
      await sup.close();
      starting.close();
      other.kill('SIGKILL');
    }
  });

  it('falls back to its own supervisor, and says so, when the attached one is killed -9', async () => {
    const state = tempDir();
    const jobFile = join(tempDir(), 'victim.yaml');
    writeFileSync(jobFile, 'name: victim\ncommand: sleep {}\ninputs:\n  list: [313.5]\n');
    const run = spawnCli(['run', jobFile], { env: { CORRAL_STATE_DIR: state } });
    const sup = createSupervisor({ stateDir: state, orphanGuard: false, joblog: null });
    const watched = createAttachable(sup, state);
    const notices: string[] = [];
    watched.on('notice', (n) => notices.push(n.message));
    try {
      const pid = run.child.pid!;
      await waitFor('the run to list itself with its job', async () => {
        const l = await watched.call('listSupervisors', {});
        return l.ok && l.value.some((e) => e.pid === pid && e.jobName === 'victim');
      }, 60_000);
      expect(await watched.call('attachSupervisor', { pid })).toMatchObject({ ok: true, value: { pid, attached: true } });
      expect(watched.attachedPid).toBe(pid);
      run.child.kill('SIGKILL');
      await waitFor('the fallback', () => watched.attachedPid === null);
      expect(notices).toContain(`supervisor ${pid} (victim) is gone; showing this one again`);
      const snap = await watched.call('getSnapshot', {});
      expect(snap.ok && snap.value.job).toBe(null);
    } finally {
      watched.close();
      await sup.close();
      await run.result;
      for (const p of sleepers('313.5')) process.kill(p, 'SIGKILL');
    }
  });

  it('runs without a control socket when the state directory is too deep for one, and says why', async () => {
    const state = join(tempDir(), 'd'.repeat(100));
    const jobFile = join(tempDir(), 'deep.yaml');
    writeFileSync(jobFile, 'name: deep\ncommand: "true"\ninputs:\n  list: [1]\n');
    const cli = spawnCli(['run', jobFile], { env: { CORRAL_STATE_DIR: state } });
    const r = await cli.result;
    expect(r.code).toBe(0);
    const socket = join(state, 'control', `${cli.child.pid}.sock`);
    expect(r.stderr).toBe(
      `corral: warning: no control socket, this run cannot be attached to: the socket path ${socket} is ${Buffer.byteLength(socket)} bytes, longer than a Unix socket allows (103); set CORRAL_STATE_DIR to a shorter directory\n`,
    );
  });

  it('names a pid that is no supervisor, and a supervisor refuses to attach itself', async () => {
    const state = tempDir();
    const sup = createSupervisor({ stateDir: state, orphanGuard: false, joblog: null });
    const control = await startControlServer({ service: sup, stateDir: state });
    const watched = createAttachable(sup, state);
    try {
      expect(await watched.call('attachSupervisor', { pid: 999_999_999 })).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'no live supervisor with pid 999999999 on this machine' } });
      expect(await sup.call('attachSupervisor', { pid: process.pid })).toEqual({ ok: false, error: { code: 'UNSUPPORTED', message: 'attach from corral serve or the app, not from a supervisor' } });
      // The socket speaks the WebSocket's frames: a line that is no frame gets the same answer.
      const raw = connect(control.socket);
      const replies: string[] = [];
      raw.setEncoding('utf8').on('data', (d: string) => replies.push(...d.split('\n').filter(Boolean)));
      raw.write('not json\n{"id":7,"method":"nope"}\n{"id":8,"method":"listSupervisors"}\n');
      await waitFor('three replies', () => replies.length >= 3);
      raw.destroy();
      const byId = Object.fromEntries(replies.map((l) => JSON.parse(l) as { id: number; result: unknown }).map((f) => [f.id, f.result]));
      expect(byId[-1]).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'frame is not valid JSON' } });
      expect(byId[7]).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'unknown method: nope' } });
      expect(byId[8]).toMatchObject({ ok: true, value: [{ pid: process.pid, self: true }] });
      const self = await watched.call('attachSupervisor', { pid: process.pid });
      expect(self).toMatchObject({ ok: true, value: { pid: process.pid, self: true, attached: true, socket: control.socket } });
    } finally {
      watched.close();
      await control.close();
      await sup.close();
    }
  });
});
