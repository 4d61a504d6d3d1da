// Issue 12, test 8: a wrong password, an unreachable broker and a task not signed by the trusted
// key each give one clear line and a non-zero exit.
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { BullmqSupervisorTransport } from '../../../main/core/broker/bullmq.js';
import { TestRedis, freePort } from '../../support/redis.js';
import { cleanup, waitFor } from '../core/helpers.js';
import { spawnCli } from '../cli/cli.js';
import { Cluster, finalRows, join, joblogRows } from './cluster.js';

afterAll(cleanup);

describe('a broker that cannot be used', () => {
  const locked = new TestRedis(['--requirepass', 'secret']);
  afterAll(() => locked.dispose());

  it('wrong password: one line naming the broker (password hidden), exit 1, for the agent and for run', async () => {
    await locked.start();
    const url = `redis://:wrong@127.0.0.1:${locked.port}`;
    const shown = `redis://:***@127.0.0.1:${locked.port}`;
    const agent = await spawnCli(['agent', '--broker', url, '--trust', join(__dirname, 'cluster.ts'), '--allow-root']).result;
    // The key file is checked before the broker: give a real one.
    expect(agent.stderr).toMatch(/^corral agent: cannot use --trust /);
    const c = new Cluster();
    const a = await spawnCli(['agent', '--broker', url, '--trust', c.publicKey, '--allow-root']).result;
    expect([a.code, a.stderr]).toEqual([1, `corral agent: the broker at ${shown} refused the user name or password\n`]);
    const r = await spawnCli(['run', '--broker', url, 'echo', ':::', 'x'], { env: c.env }).result;
    expect([r.code, r.stderr]).toEqual([1, `corral run: the broker at ${shown} refused the user name or password\n`]);
  });

  it('unreachable broker: one line, exit 1', async () => {
    const port = await freePort();
    const c = new Cluster();
    const a = await spawnCli(['agent', '--broker', `redis://127.0.0.1:${port}`, '--trust', c.publicKey, '--allow-root']).result;
    expect([a.code, a.stderr]).toEqual([1, `corral agent: cannot reach the broker at redis://127.0.0.1:${port}: connection refused\n`]);
    const r = await spawnCli(['run', '--broker', `redis://127.0.0.1:${port}`, 'echo', ':::', 'x'], { env: c.env }).result;
    expect([r.code, r.stderr]).toEqual([1, `corral run: cannot reach the broker at redis://127.0.0.1:${port}: connection refused\n`]);
  });

  it('a URL that is not redis://: one line, exit 1', async () => {
    const c = new Cluster();
    const a = await spawnCli(['agent', '--broker', 'http://x', '--trust', c.publicKey, '--allow-root']).result;
    expect([a.code, a.stderr]).toEqual([1, 'corral agent: --broker expects a redis:// or rediss:// URL, got "http://x"\n']);
  });

  it.runIf(process.getuid?.() === 0)('as root without --allow-root: refuses, exit 2', async () => {
    const c = new Cluster();
    const a = await spawnCli(['agent', '--broker', 'redis://127.0.0.1:1', '--trust', c.publicKey]).result;
    expect([a.code, a.stderr]).toEqual([2, 'corral agent: refusing to run as root (its tasks would run as root); pass --allow-root to do so anyway\n']);
  });

  it('no trusted key: says how to give one, exit 2', async () => {
    const c = new Cluster();
    const a = await spawnCli(['agent', '--broker', 'redis://127.0.0.1:1', '--allow-root'], { env: { CORRAL_STATE_DIR: join(c.dir, 'none') } }).result;
    expect([a.code, a.stderr]).toEqual([2, "corral agent: no trusted key: give --trust KEYFILE (the supervisor's broker-key.pub, made by its first corral run --broker)\n"]);
  });
});

describe('tasks not signed by the trusted key', () => {
  const c = new Cluster();
  afterAll(() => c.dispose());

  it('wrongly signed: the agent refuses each with one log line; the run fails them, exit 1', async () => {
    await c.redis.start();
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' });
    const otherKey = join(c.dir, 'other.pub');
    writeFileSync(otherKey, other);
    const a = await c.startAgent('a1', 2);
    // a1 trusts c.publicKey; a2 trusts another key and refuses what the supervisor signs.
    a.child.kill('SIGTERM');
    await a.exited;
    const b = await c.startAgent('a2', 2, ['--trust', otherKey]);
    const log = join(c.dir, 'joblog.tsv');
    const r = await c.run(['--joblog', log, 'echo', ':::', 'x', 'y']).result;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('corral: task 1: refused by agent a2: wrong signature\n');
    const runId = (await import('node:fs')).readFileSync(`${log}.broker-run`, 'utf8').trim();
    expect(b.stderr()).toContain(`corral agent: refused task 1 of run ${runId}: wrong signature (not signed by the trusted key)\n`);
    expect(finalRows(joblogRows(log)).map((x) => [x.seq, x.outcome])).toEqual(expect.arrayContaining([[1, 'failed'], [2, 'failed']]));
    expect(r.stdout).toBe('');
  });

  it('unsigned: refused with its own line', async () => {
    const t = new BullmqSupervisorTransport(c.redis.url);
    try {
      await t.add([{ runId: 'feedbeef', seq: 1, file: 'touch', args: [join(c.dir, 'ran')], cwd: c.dir, env: {}, kill: [] }]);
      const b = c.agents.find((x) => x.name === 'a2')!;
      await waitFor('the refusal', () => b.stderr().includes('corral agent: refused task 1 of run feedbeef: unsigned (not signed by the trusted key)\n'));
      expect(await t.ended('feedbeef', 1)).toEqual({ kind: 'failed', seq: 1, reason: 'refused by agent a2: unsigned' });
    } finally {
      await t.close();
    }
  });
});
