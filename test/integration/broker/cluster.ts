// A broker test cluster on loopback: a private redis-server, a state directory holding the
// supervisor's signing key, and agents started as real `corral agent` processes (each its own
// process group, so a test can SIGKILL or SIGSTOP one agent whole).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSigningKey } from '../../../main/core/broker/signing.js';
import { parseJoblog, type JoblogRow } from '../../../main/core/log/joblog.js';
import { TestRedis } from '../../support/redis.js';
import { afterAll, beforeAll, expect } from 'vitest';
import { cleanup, cliBin, repoRoot, tempDir, waitFor } from '../core/helpers.js';
import { spawnCli } from '../cli/cli.js';

/** The test timing: a 3 s lock, dead holders looked for every second. */
export const LOCK_FLAGS = ['--lock', '3s', '--stall-check', '1s'];

export interface AgentProc {
  name: string;
  child: ChildProcess;
  stderr(): string;
  exited: Promise<number | null>;
}

export class Cluster {
  readonly redis: TestRedis;
  readonly state = tempDir('corral-broker-state-');
  readonly dir = tempDir('corral-broker-');
  readonly agents: AgentProc[] = [];
  readonly publicKey: string;

  constructor(redisArgs: string[] = []) {
    this.redis = new TestRedis(redisArgs);
    this.publicKey = loadSigningKey(this.state).publicKeyPath;
  }

  get env(): NodeJS.ProcessEnv {
    return { ...process.env, CORRAL_STATE_DIR: this.state };
  }

  async start(agents = 3, slots = 2, extra: string[] = []): Promise<void> {
    await this.redis.start();
    for (let i = 1; i <= agents; i++) await this.startAgent(`a${i}`, slots, extra);
  }

  async startAgent(name: string, slots = 2, extra: string[] = []): Promise<AgentProc> {
    // Each agent its own state dir (ledger, reaper), trusting the supervisor's key.
    const state = tempDir(`corral-agent-${name}-`);
    const args = [cliBin, 'agent', '--broker', this.redis.url, '--slots', String(slots), '--name', name, '--trust', this.publicKey, '--allow-root', ...LOCK_FLAGS, ...extra];
    const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, CORRAL_STATE_DIR: state }, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const a: AgentProc = { name, child, stderr: () => err, exited };
    this.agents.push(a);
    await waitFor(`agent ${name} to be ready (${err})`, () => {
      if (child.exitCode !== null) throw new Error(`agent ${name} exited ${child.exitCode}: ${err}`);
      return err.includes(`${name} ready`);
    });
    return a;
  }

  run(args: string[], opts: { timeoutMs?: number } = {}) {
    return spawnCli(['run', '--broker', this.redis.url, ...args], { env: this.env, cwd: this.dir, timeoutMs: opts.timeoutMs ?? 180_000 });
  }

  async dispose(): Promise<void> {
    for (const a of this.agents) {
      if (a.child.exitCode === null && a.child.signalCode === null) {
        try {
          process.kill(-a.child.pid!, 'SIGCONT');
          a.child.kill('SIGTERM');
        } catch {
          /* gone */
        }
        await Promise.race([a.exited, new Promise((r) => setTimeout(r, 30_000))]);
        expect(a.child.exitCode, `agent ${a.name} did not stop on SIGTERM`).toBe(0);
      }
    }
    await this.redis.dispose();
  }
}

export function joblogRows(path: string): JoblogRow[] {
  return parseJoblog(readFileSync(path, 'utf8'));
}

export function finalRows(rows: JoblogRow[]): JoblogRow[] {
  return rows.filter((r) => r.outcome !== 'lost' && r.outcome !== 'superseded');
}

/** Pids of the process's children and their descendants (Linux /proc). */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [c, pp] of parent) {
      if (pp !== p) continue;
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/** Alive and not a zombie. */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

export { join };

/** A task that writes <marks>/<input>.<pid> as it starts, then sleeps (test/fixtures/broker/mark.sh). */
export const MARK = join(repoRoot, 'test/fixtures/broker/mark.sh');

/** One cluster for a describe block: Redis and `agents` agents of `slots` slots, gone after it. */
export function useCluster(agents = 3, slots = 2): Cluster {
  const c = new Cluster();
  beforeAll(() => c.start(agents, slots));
  afterAll(async () => {
    await c.dispose();
    await cleanup();
  });
  return c;
}

/** The pids of the MARK tasks (from their mark files) among `pids`. */
export function markedTasks(marks: string, pids: readonly number[]): number[] {
  if (!existsSync(marks)) return [];
  return readdirSync(marks).map((m) => Number(m.split('.')[1])).filter((pid) => pids.includes(pid));
}
