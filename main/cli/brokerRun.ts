// `corral run --broker URL`: the job's tasks go to agents through the broker; this process signs
// them, reads their ends and writes the joblog (see main/core/broker/runner.ts).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BullmqSupervisorTransport } from '../core/broker/bullmq.js';
import { BrokerError, checkBroker } from '../core/broker/connect.js';
import { BROKER_REFUSED_FLAGS, brokerRefusal } from '../core/broker/refused.js';
import { BrokerRun, type BrokerTask } from '../core/broker/runner.js';
import { loadSigningKey } from '../core/broker/signing.js';
import { brokerTasks } from '../core/broker/tasks.js';
import { JoblogWriter, readJoblog, seqsToSkip, type JoblogRow } from '../core/log/joblog.js';
import type { LoadedSpec } from '../core/pool/jobLoader.js';
import { stateDir } from '../core/reap/index.js';
import { detach } from '../core/errors.js';
import { UsageError } from './args.js';
import type { RunArgs } from './runArgs.js';
import type { RunIo } from './run.js';

/** The run id lives beside the joblog: --resume re-adds the same broker tasks (same ids), a new run gets new ones. */
function runIdFor(joblog: string | null, resume: boolean): string {
  const file = joblog && `${joblog}.broker-run`;
  if (file && resume && existsSync(file)) return readFileSync(file, 'utf8').trim();
  const id = randomBytes(8).toString('hex');
  if (file) writeFileSync(file, id + '\n');
  return id;
}

export async function brokerRunCommand(a: RunArgs, loaded: LoadedSpec, resume: 'resume' | 'resume-failed' | null, io: RunIo): Promise<number> {
  const url = a.values.get('--broker')!;
  const { spec, inputs } = loaded;
  const refused = brokerRefusal(spec);
  if (refused) throw new UsageError(`corral run: ${refused}`);
  const flag = BROKER_REFUSED_FLAGS.find((f) => a.switches.has(f) || a.values.has(f));
  if (flag) throw new UsageError(`corral run: ${flag} cannot be used with --broker yet`);
  try {
    await checkBroker(url);
  } catch (err) {
    if (err instanceof BrokerError) {
      io.stderr.write(`corral run: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  if (!inputs.complete) await new Promise<void>((r) => inputs.onChange?.(() => inputs.complete && r())); // stdin: every input first
  const joblogPath = a.values.has('--joblog') ? resolve(a.values.get('--joblog')!) : null;
  const earlier = resume && joblogPath ? await readJoblog(joblogPath) : [];
  const skip = seqsToSkip(earlier, resume ?? 'resume');
  const rowKey = (r: JoblogRow) => `${r.seq} ${r.host} ${r.startTime.toFixed(3)} ${r.attempt}`;
  const recorded = new Set(earlier.map(rowKey));
  const runId = runIdFor(joblogPath, resume !== null);
  const { privateKey } = loadSigningKey(stateDir());
  const taskOf = brokerTasks(spec, runId);
  function* tasks(): Generator<BrokerTask> {
    for (let i = 0; i < inputs.length; i++) if (!skip.has(i + 1)) yield taskOf(inputs.get(i), i + 1);
  }
  const transport = new BullmqSupervisorTransport(url);
  const joblog = joblogPath ? new JoblogWriter(joblogPath) : null;
  const run = new BrokerRun({
    runId, transport, signingKey: privateKey, tasks: tasks(), joblog, resumed: resume ? { recorded: (row) => recorded.has(rowKey(row)) } : null,
    // A job's concurrency caps the tasks out at once over every agent; auto: the agents' slots decide.
    maxOutstanding: spec.concurrency.kind === 'count' ? spec.concurrency.n : undefined,
    retries: { count: spec.retries, delayMs: spec.retryDelayMs },
    halt: { rule: spec.halt, total: inputs.length },
    output: (_seq, bytes) => io.stdout.write(bytes),
    log: (line) => io.stderr.write(line + '\n'),
  });
  let stops = 0;
  const off = io.onInterrupt(() => {
    const mode = stops++ === 0 ? 'graceful' : 'force';
    io.stderr.write(mode === 'graceful' ? 'corral: stopping: cancelling tasks on their agents\n' : 'corral: killing tasks on their agents\n');
    detach(run.stop(mode), (err) => io.stderr.write(`corral: ${err.message}\n`));
  });
  try {
    const c = await run.run();
    io.stderr.write(`corral: ${c.ok} ok, ${c.failed} failed, ${c.killed} killed; ${c.lost} lost and ${c.superseded} superseded attempt(s)\n`);
    if (c.halted) return 1;
    if (stops > 0) return 130;
    return c.failed + c.killed > 0 ? 1 : 0; // as a local run: 1 when some task failed or was killed
  } finally {
    off();
    await joblog?.close();
    await transport.close();
    inputs.close();
  }
}
