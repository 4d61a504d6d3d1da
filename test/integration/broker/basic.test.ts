// Issue 12, test 1: 300 tasks over three agents with two slots each.
import { existsSync, readdirSync } from 'node:fs';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { BullmqSupervisorTransport } from '../../../main/core/broker/bullmq.js';
import { EVENTS_STREAM, SAMPLES_CHANNEL } from '../../../main/core/broker/keys.js';
import type { AgentInfo } from '../../../main/core/broker/transport.js';
import { sleep, waitFor } from '../core/helpers.js';
import { MARK, useCluster, finalRows, join, joblogRows } from './cluster.js';

describe('corral run --broker over three agents', () => {
  const c = useCluster();

  it('runs 300 tasks: exactly 300 final rows, every host used, output right', async () => {
    const log = join(c.dir, 'joblog.tsv');
    const inputs = Array.from({ length: 300 }, (_, i) => `in-${i + 1}`);
    const r = await c.run(['--joblog', log, 'echo', 'out-{}', ':::', ...inputs]).result;
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').sort()).toEqual(inputs.map((s) => `out-${s}`).sort());
    const rows = joblogRows(log);
    expect(rows).toHaveLength(300);
    expect(finalRows(rows).map((x) => x.seq).sort((a, b) => a - b)).toEqual(inputs.map((_, i) => i + 1));
    expect(new Set(rows.map((x) => x.outcome))).toEqual(new Set(['ok']));
    expect(new Set(rows.map((x) => x.host))).toEqual(new Set(['a1', 'a2', 'a3']));
    expect(rows.find((x) => x.seq === 7)!.command).toBe('echo out-in-7');
    expect(r.stderr).toContain('corral: 300 ok, 0 failed, 0 killed; 0 lost and 0 superseded attempt(s)');
  });

  it('agents register (expiring keys) and publish a sample every 2 s', async () => {
    const t = new BullmqSupervisorTransport(c.redis.url);
    const sub = new Redis(c.redis.url);
    try {
      const agents = await t.agents();
      expect(agents.map((a) => a.name).sort()).toEqual(['a1', 'a2', 'a3']);
      expect(agents[0]).toMatchObject({ slots: 2, busy: expect.any(Number), cores: expect.any(Number), memory: expect.any(Number), version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
      const seen = new Set<string>();
      sub.on('message', (_ch: string, text: string) => seen.add((JSON.parse(text) as AgentInfo).name));
      await sub.subscribe(SAMPLES_CHANNEL);
      await waitFor('a sample from every agent', () => seen.size === 3);
      // A stopped agent's key expires: it leaves the list within a few seconds.
      c.agents[2].child.kill('SIGTERM');
      await c.agents[2].exited;
      await waitFor('a3 to leave the registry', async () => !(await t.agents()).some((a) => a.name === 'a3'));
    } finally {
      sub.disconnect();
      await t.close();
    }
  });

  it('finishes even when the events stream is trimmed under it (the ends are asked for directly)', async () => {
    const log = join(c.dir, 'trimmed.tsv');
    const inputs = Array.from({ length: 30 }, (_, i) => String(i + 1));
    const trimmer = new Redis(c.redis.url);
    const marks = join(c.dir, 'marks');
    const run = c.run(['--joblog', log, MARK, marks, '{}', '0.2', ':::', ...inputs]);
    // Freeze the supervisor while the tasks end, and trim their end events away before it reads them.
    await waitFor('five rows', () => existsSync(log) && joblogRows(log).length >= 5);
    run.child.kill('SIGSTOP');
    await waitFor('every task to start', () => existsSync(marks) && readdirSync(marks).length === 30);
    await waitFor('every task to end', async () => (await trimmer.xlen(EVENTS_STREAM)) > 0 && (await trimmer.xrange(EVENTS_STREAM, '-', '+')).filter(([, f]) => f[1] === 'completed').length >= 25 - 5);
    await sleep(1500);
    await trimmer.xtrim(EVENTS_STREAM, 'MAXLEN', 0);
    run.child.kill('SIGCONT');
    trimmer.disconnect();
    const r = await run.result;
    expect(r.code).toBe(0);
    expect(finalRows(joblogRows(log)).map((x) => x.seq).sort((a, b) => a - b)).toEqual(inputs.map(Number));
    expect(r.stdout.trim().split('\n').sort()).toEqual(inputs.map((i) => `done ${i}`).sort());
  });
});
