import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, hostname } from 'node:os';
import { join } from 'node:path';
import { Agent } from '../core/broker/agent.js';
import { BullmqAgentTransport, DEFAULT_LOCK_TIMES, type LockTimes } from '../core/broker/bullmq.js';
import { BrokerError, checkBroker } from '../core/broker/connect.js';
import { redactUrl } from '../core/broker/keys.js';
import { loadTrustedKey, PUBLIC_KEY_FILE } from '../core/broker/signing.js';
import { parseDuration } from '../core/job/values.js';
import { corralResources } from '../core/platform/resources.js';
import { stateDir } from '../core/reap/index.js';
import { parseArgs, UsageError } from './args.js';
import type { RunIo } from './run.js';

export const AGENT_HELP = `usage: corral agent --broker URL [--slots N] [--name NAME] [--trust KEYFILE]

Runs tasks of \`corral run --broker URL\` on this host: takes up to N tasks at a time from the
broker (Redis, redis:// or rediss://user:password@host:port), runs each as a local run would,
and kills a task's tree when it can no longer prove it holds the task (lock lost, broker away).

  --slots N          tasks at a time (default: the number of cores)
  --name NAME        this host's name in the joblog's Host column (default: the host name)
  --trust KEYFILE    the supervisor's public key; tasks not signed by it are refused
                     (default: broker-key.pub in this user's state directory, if it exists)
  --lock DURATION    how long a task's lock holds without renewal (default 10s)
  --stall-check DURATION  how often tasks of dead agents are looked for (default 5s)
  --max-stalls N     a task whose agent died this many times fails (default 2)
  --allow-root       run tasks as root (refused otherwise)`;

const FLAGS = { values: ['--broker', '--slots', '--name', '--trust', '--lock', '--stall-check', '--max-stalls'], switches: ['--allow-root', '--help'] };

function positive(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^[1-9]\d*$/.test(text)) throw new UsageError(`corral agent: ${flag} expects a positive integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

function duration(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  try {
    return parseDuration(text);
  } catch {
    throw new UsageError(`corral agent: ${flag} expects a duration like 3s or 500ms, got ${JSON.stringify(text)}`);
  }
}

export async function agentCommand(argv: readonly string[], io: RunIo): Promise<number> {
  const a = parseArgs('agent', argv, FLAGS);
  if (a.switches.has('--help')) {
    io.stdout.write(AGENT_HELP + '\n');
    return 0;
  }
  const url = a.values.get('--broker');
  if (!url) throw new UsageError('corral agent: --broker URL is required (see corral agent --help)');
  if (process.getuid?.() === 0 && !a.switches.has('--allow-root')) {
    throw new UsageError('corral agent: refusing to run as root (its tasks would run as root); pass --allow-root to do so anyway');
  }
  const slots = positive('--slots', a.values.get('--slots'), availableParallelism());
  const name = a.values.get('--name') ?? hostname();
  const times: LockTimes = {
    lockMs: duration('--lock', a.values.get('--lock'), DEFAULT_LOCK_TIMES.lockMs),
    stalledCheckMs: duration('--stall-check', a.values.get('--stall-check'), DEFAULT_LOCK_TIMES.stalledCheckMs),
    maxStalls: positive('--max-stalls', a.values.get('--max-stalls'), DEFAULT_LOCK_TIMES.maxStalls),
  };
  const trustPath = a.values.get('--trust') ?? join(stateDir(), PUBLIC_KEY_FILE);
  if (!existsSync(trustPath)) {
    throw new UsageError(`corral agent: no trusted key: give --trust KEYFILE (the supervisor's ${PUBLIC_KEY_FILE}, made by its first corral run --broker)`);
  }
  let trustKey;
  try {
    trustKey = loadTrustedKey(trustPath);
  } catch (err) {
    throw new UsageError(`corral agent: cannot use --trust ${trustPath}: ${(err as Error).message.split('\n')[0]}`);
  }
  try {
    await checkBroker(url);
  } catch (err) {
    if (err instanceof BrokerError) {
      io.stderr.write(`corral agent: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const agent = new Agent({
    name, slots, times, trustKey,
    version: (JSON.parse(readFileSync(join(corralResources().appRoot, 'package.json'), 'utf8')) as { version: string }).version,
    transport: new BullmqAgentTransport(url, times),
    resources: corralResources(),
    stateDir: stateDir(),
    log: (line) => io.stderr.write(line + '\n'),
  });
  await agent.start();
  io.stderr.write(`corral agent: ${name} ready with ${slots} slot(s) on ${redactUrl(url)}\n`);
  await new Promise<void>((resolve) => {
    const off = io.onInterrupt(() => {
      off();
      resolve();
    });
  });
  io.stderr.write(`corral agent: ${name} stopping (running tasks are killed; the broker gives them to another agent)\n`);
  await agent.close();
  return 0;
}
