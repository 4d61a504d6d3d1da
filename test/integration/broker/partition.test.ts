// A network partition with the connection held open (no RST): one agent reaches Redis through a
// TCP proxy that stops moving bytes. The agent fences itself (kills the task's tree) once the
// broker has not answered for longer than the lock; the task runs elsewhere; the late result
// is superseded once the partition heals.
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpProxy } from '../../support/tcpProxy.js';
import { cleanup, repoRoot, waitFor } from '../core/helpers.js';
import { Cluster, descendants, finalRows, join, joblogRows, running } from './cluster.js';

const MARK = join(repoRoot, 'test/fixtures/broker/mark.sh');

describe('an agent cut off from the broker, its connection left open', () => {
  const c = new Cluster();
  let proxy: TcpProxy;
  beforeAll(async () => {
    await c.redis.start();
    proxy = new TcpProxy(c.redis.port);
    await proxy.start();
    await c.startAgent('a1', 1, ['--broker', proxy.url]);
    await c.startAgent('a2', 1);
  });
  afterAll(async () => {
    await proxy.close();
    await c.dispose();
    await cleanup();
  });

  it('fences its task within the lock, the task runs elsewhere, its late result is superseded', async () => {
    const log = join(c.dir, 'joblog.tsv');
    const marks = join(c.dir, 'marks');
    const run = c.run(['--joblog', log, MARK, marks, '{}', '12', ':::', '1', '2']);
    const a1 = c.agents[0];
    const tree = await waitFor('a1 to run its task', () => {
      const mine = existsSync(marks) ? readdirSync(marks).map((m) => Number(m.split('.')[1])).filter((p) => descendants(a1.child.pid!).includes(p)) : [];
      return mine.length === 1 ? [mine[0], ...descendants(mine[0])] : null;
    });
    proxy.stall();
    await waitFor('a1 to fence its task while cut off', () => tree.every((p) => !running(p)));
    expect(a1.stderr()).toMatch(/corral agent: task [12]: broker unreachable for \d+ ms, longer than the 3000 ms lock; killing its tree \(another agent may run it now\)\n/);
    await waitFor('the task to start on a2', () => readdirSync(marks).length === 3, 60_000);
    proxy.resume();
    const r = await run.result;
    expect(r.code).toBe(0);
    const rows = joblogRows(log);
    expect(finalRows(rows).map((x) => [x.seq, x.outcome, x.host]).sort()).toEqual([[1, 'ok', 'a2'], [2, 'ok', 'a2']].sort());
    const superseded = rows.filter((x) => x.outcome === 'superseded');
    expect(superseded.map((x) => x.host)).toEqual(['a1']);
    expect(rows.filter((x) => x.outcome === 'lost').map((x) => x.seq)).toEqual(superseded.map((x) => x.seq));
  });
});
