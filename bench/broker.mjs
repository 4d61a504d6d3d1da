// Benchmark: the broker (issue 12). N trivial tasks (`true`) through Redis to 3 local agents with
// 2 slots each, beside the same batch run locally with -j6: wall time and the supervisor's CPU
// per task (GNU time's user+sys of the `corral run` process), the broker's overhead being the
// difference. Then the failover time of the test 2: SIGKILL one agent's process group
// while it runs two tasks; the time until they start on another agent (3 s lock, 1 s check).
// Sizes from BENCH_BROKER_SIZES (default 1000,5000); --quick uses 200. Needs redis-server.
import { generateKeyPairSync } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { corralBin, fmt, have, printTable, root, scratch, writeResult } from './lib/common.mjs';

const REDIS = process.env.CORRAL_REDIS_SERVER ?? '/usr/bin/redis-server';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function freePort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

async function until(what, check, ms = 60_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`broker: timed out waiting for ${what}`);
    await sleep(50);
  }
}

function run(file, args, env, cwd) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(file, args, { env: { ...process.env, ...env }, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`broker: ${args.join(' ')} exited ${code}: ${err.slice(-400)}`))));
  });
}

/** `corral run ARGS` under GNU time: wall ms and the supervisor's CPU seconds. */
async function timedRun(dir, args, env) {
  const cpuFile = join(dir, `cpu-${Date.now()}`);
  const ms = await run('/usr/bin/time', ['-o', cpuFile, '-f', '%U %S', process.execPath, corralBin, 'run', ...args], env, dir);
  const [u, s] = readFileSync(cpuFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
  return { ms, cpuS: u + s };
}

/** The process's own CPU (user + system, ms; not its children's): an agent's share of the work. */
function ownCpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10; // clock ticks of 10 ms (USER_HZ 100)
}

function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return -1;
  }
}

/** Heavy-tailed durations (Pareto, alpha 1.5, from 0.3 s, capped at 6 s) in a shuffled but fixed order. */
export function makespanBatch(n = 60) {
  let x = 20261201;
  const rand = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  return Array.from({ length: n }, () => Math.min(6, 0.3 / Math.pow(1 - rand(), 1 / 1.5))).map((d) => Math.round(d * 100) / 100);
}

/** Joblog rows' span: the first start to the last end (s), as the run's makespan without process start-up. */
function joblogSpan(file) {
  const rows = readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  const starts = rows.map((r) => Number(r[2]));
  const ends = rows.map((r) => Number(r[2]) + Number(r[3]));
  return Math.max(...ends) - Math.min(...starts);
}

/**
 * The makespan target on a 2-core machine: 6 slots of CPU-bound work cannot run at once on 2
 * cores, so the batch is `sleep` tasks of heavy-tailed lengths (the same shape as the balance
 * benchmark's CPU batch) and the ideal is max(total / 6 slots, longest task). It measures what the
 * broker adds — dispatch through Redis, balance over three agents — not the cores.
 */
async function makespanPart(dir, url, env) {
  const durations = makespanBatch();
  const total = durations.reduce((a, b) => a + b, 0);
  const ideal = Math.max(total / 6, Math.max(...durations));
  // What six slots taking tasks in input order can do at best (each free slot takes the next task).
  const slots = Array(6).fill(0);
  for (const d of durations) slots[slots.indexOf(Math.min(...slots))] += d;
  const schedule = Math.max(...slots);
  const inputs = join(dir, 'makespan-inputs');
  writeFileSync(inputs, durations.join('\n') + '\n');
  const localLog = join(dir, 'makespan-local.tsv');
  const brokerLog = join(dir, 'makespan-broker.tsv');
  const broker = await timedRun(dir, ['--broker', url, '--joblog', brokerLog, 'sleep', '::::', inputs], env).catch((err) => {
    const failed = existsSync(brokerLog) ? readFileSync(brokerLog, 'utf8').trim().split('\n').filter((l, i) => i === 0 || l.split('\t')[12] !== 'ok') : [];
    throw new Error(`${err.message}\n${failed.join('\n')}`);
  });
  const local = await timedRun(dir, ['-j6', '--joblog', localLog, 'sleep', '::::', inputs], env);
  const spans = { local: joblogSpan(localLog), broker: joblogSpan(brokerLog) };
  const hosts = new Set(readFileSync(brokerLog, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[1]));
  printTable(`Broker makespan: ${durations.length} sleep tasks of 0.3–6 s (total ${fmt(total)} s) over 3 agents × 2 slots vs -j6 locally; bound max(total/6, longest) ${fmt(ideal)} s, input-order schedule ${fmt(schedule)} s`, [
    ['run', 'wall s', 'first start → last end s', '× bound (span)', '× input-order schedule (span)', '× bound (wall)', 'hosts used'],
    ['local -j6', fmt(local.ms / 1000), fmt(spans.local), fmt(spans.local / ideal), fmt(spans.local / schedule), fmt(local.ms / 1000 / ideal), 1],
    ['broker, 3 agents', fmt(broker.ms / 1000), fmt(spans.broker), fmt(spans.broker / ideal), fmt(spans.broker / schedule), fmt(broker.ms / 1000 / ideal), hosts.size],
  ]);
  return { tasks: durations.length, totalS: total, idealS: ideal, scheduleS: schedule, local: { wallMs: local.ms, spanS: spans.local }, broker: { wallMs: broker.ms, spanS: spans.broker, hosts: hosts.size } };
}

export async function brokerBench({ quick = false } = {}) {
  if (!existsSync(REDIS)) {
    console.log(`broker: ${REDIS} not found; skipped (apt-get install redis-server)`);
    writeResult('broker', { skipped: `${REDIS} not found` });
    return;
  }
  if (!have('/usr/bin/time')) throw new Error('broker: needs GNU time (/usr/bin/time) for the supervisor CPU');
  const sizes = quick ? [200] : (process.env.BENCH_BROKER_SIZES ?? '1000,5000').split(',').map(Number);
  const dir = scratch('broker');
  const state = join(dir, 'state');
  mkdirSync(state, { recursive: true });
  const pair = generateKeyPairSync('ed25519');
  writeFileSync(join(state, 'broker-key.pem'), pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(join(state, 'broker-key.pub'), pair.publicKey.export({ type: 'spki', format: 'pem' }));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const redis = spawn(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
  const agents = [];
  const env = { CORRAL_STATE_DIR: state };
  const startAgent = async (name) => {
    const agentState = join(dir, `state-${name}`);
    const child = spawn(process.execPath, [corralBin, 'agent', '--broker', url, '--slots', '2', '--name', name, '--trust', join(state, 'broker-key.pub'), '--allow-root', '--lock', '3s', '--stall-check', '1s'], { cwd: root, env: { ...process.env, CORRAL_STATE_DIR: agentState }, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let err = '';
    child.stderr.on('data', (d) => (err += d, (child.log = err)));
    await until(`agent ${name} (${err})`, () => err.includes('ready') || child.exitCode !== null);
    if (child.exitCode !== null) throw new Error(`broker: agent ${name} exited: ${err}`);
    agents.push(child);
    return child;
  };
  try {
    await sleep(300);
    for (const n of ['a1', 'a2', 'a3']) await startAgent(n);
    const rows = [['tasks', 'local s', 'broker s', 'wall ratio', 'local CPU ms/task', 'broker CPU ms/task', 'overhead ms/task', 'agents CPU ms/task']];
    const results = [];
    for (const n of sizes) {
      const inputs = join(dir, `inputs-${n}`);
      writeFileSync(inputs, Array.from({ length: n }, (_, i) => i + 1).join('\n') + '\n');
      const local = await timedRun(dir, ['-j6', '--joblog', join(dir, `local-${n}.tsv`), 'true', '::::', inputs], env);
      const agentsCpu = () => agents.reduce((a, c) => a + ownCpuMs(c.pid), 0);
      const agentsBefore = agentsCpu();
      const broker = await timedRun(dir, ['--broker', url, '--joblog', join(dir, `broker-${n}.tsv`), 'true', '::::', inputs], env);
      const agentsMsPerTask = (agentsCpu() - agentsBefore) / n;
      const per = (r) => (r.cpuS * 1000) / n;
      results.push({ tasks: n, local, broker, localCpuMsPerTask: per(local), brokerCpuMsPerTask: per(broker), overheadMsPerTask: per(broker) - per(local), agentsCpuMsPerTask: agentsMsPerTask });
      rows.push([n, fmt(local.ms / 1000), fmt(broker.ms / 1000), fmt(broker.ms / local.ms), fmt(per(local), 3), fmt(per(broker), 3), fmt(per(broker) - per(local), 3), fmt(agentsMsPerTask, 3)]);
    }
    printTable('Broker: N × `true` over 3 agents × 2 slots vs -j6 locally (supervisor CPU from GNU time)', rows);

    const makespan = await makespanPart(dir, url, env).catch((e) => {
      throw new Error(`${e.message}\n${agents.map((a) => (a.log ?? '').slice(-1500)).join('\n---\n')}`);
    });

    // Failover: two sleeping tasks on a1 when its process group is SIGKILLed.
    const marks = join(dir, 'marks');
    mkdirSync(marks);
    const mark = join(root, 'test/fixtures/broker/mark.sh');
    const log = join(dir, 'failover.tsv');
    const failoverRun = run(process.execPath, [corralBin, 'run', '--broker', url, '--joblog', log, mark, marks, '{}', '4', ':::', ...Array.from({ length: 12 }, (_, i) => String(i + 1))], env, dir);
    const a1 = agents[0];
    const underA1 = (pid) => {
      for (let p = pid, i = 0; p > 1 && i < 4; i++) if ((p = parentOf(p)) === a1.pid) return true; // via sh -c
      return false;
    };
    await until('a1 to run two tasks', () => readdirSync(marks).filter((m) => underA1(Number(m.split('.')[1]))).length === 2);
    const killedAt = Date.now();
    process.kill(-a1.pid, 'SIGKILL');
    await failoverRun;
    const logRows = readFileSync(log, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
    const lost = logRows.filter((r) => r[12] === 'lost').map((r) => r[0]);
    const restarted = lost.map((seq) => Number(logRows.find((r) => r[0] === seq && r[12] === 'ok')[2]) * 1000 - killedAt);
    const failoverMs = Math.max(...restarted);
    printTable('Broker failover (3 s lock, 1 s stalled check)', [['lost tasks', 'restarted elsewhere after'], [lost.length, `${fmt(failoverMs / 1000)} s`]]);
    writeResult('broker', { params: { sizes, agents: 3, slots: 2, lock: '3s', stalledCheck: '1s' }, results, failover: { lost: lost.length, failoverMs }, makespan });
  } finally {
    for (const a of agents) if (a.exitCode === null && a.signalCode === null) a.kill('SIGTERM');
    await Promise.all(agents.map((a) => (a.exitCode === null && a.signalCode === null ? new Promise((r) => a.once('exit', r)) : null)));
    redis.kill('SIGTERM');
  }
}
