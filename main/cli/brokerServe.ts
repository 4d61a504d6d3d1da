// `corral serve --broker URL JOB`: the job's tasks go to agents as with `corral run --broker`, and
// the dashboard shows the run — its tasks, one lane per agent slot, and the hosts table.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { JobFileIssue } from '../contract/types.js';
import { BullmqSupervisorTransport } from '../core/broker/bullmq.js';
import { BrokerError, checkBroker } from '../core/broker/connect.js';
import { BrokerDashboard } from '../core/broker/dashboard.js';
import { HostTable } from '../core/broker/hosts.js';
import { brokerRefusal } from '../core/broker/refused.js';
import { BrokerRun, type BrokerTask } from '../core/broker/runner.js';
import { BrokerService } from '../core/broker/service.js';
import { loadSigningKey } from '../core/broker/signing.js';
import { brokerTasks } from '../core/broker/tasks.js';
import { JoblogWriter } from '../core/log/joblog.js';
import { loadSpec } from '../core/pool/jobLoader.js';
import { corralResources } from '../core/platform/resources.js';
import { stateDir } from '../core/reap/index.js';
import { detach } from '../core/errors.js';
import { startServer } from '../serve/index.js';
import { UsageError } from './args.js';
import type { RunIo } from './run.js';

export interface BrokerServeOptions {
  url: string;
  jobFile: string;
  host: string | undefined;
  port: number;
  token: string | undefined;
}

export async function brokerServeCommand(o: BrokerServeOptions, io: RunIo): Promise<number> {
  let loaded;
  try {
    loaded = await loadSpec({ path: resolve(o.jobFile) });
  } catch (err) {
    const e = err as { code?: string; details?: unknown; message: string };
    if (e.code !== 'JOB_INVALID') throw err;
    for (const issue of e.details as JobFileIssue[]) io.stderr.write(`corral: ${issue.text}\n`);
    return 2;
  }
  const { spec, inputs } = loaded;
  const refused = brokerRefusal(spec);
  if (refused) throw new UsageError(`corral serve: ${refused}`);
  try {
    await checkBroker(o.url);
  } catch (err) {
    if (!(err instanceof BrokerError)) throw err;
    io.stderr.write(`corral serve: ${err.message}\n`);
    return 1;
  }
  const state = stateDir();
  const runId = randomBytes(8).toString('hex');
  const { privateKey } = loadSigningKey(state);
  // The run's joblog in the state directory, as a served local run keeps one.
  mkdirSync(join(state, 'broker-runs'), { recursive: true });
  const joblogPath = join(state, 'broker-runs', `${runId}.joblog`);
  const joblog = new JoblogWriter(joblogPath);
  const taskOf = brokerTasks(spec, runId);
  function* tasks(): Generator<BrokerTask> {
    for (let i = 0; i < inputs.length; i++) yield taskOf(inputs.get(i), i + 1);
  }
  const transport = new BullmqSupervisorTransport(o.url);
  const hosts = new HostTable();
  const view = new BrokerDashboard({
    name: spec.name, file: spec.file, total: inputs.length, skipped: 0, joblog: joblogPath,
    slotsOf: (h) => hosts.slotsOf(h),
    commandOf: (seq) => taskOf(inputs.get(seq - 1), seq).command,
    inputOf: (seq) => inputs.get(seq - 1),
  });
  let service: BrokerService | null = null;
  const log = (line: string) => {
    io.stderr.write(line + '\n');
    service?.notice({ level: 'warn', kind: 'info', message: line.replace(/^corral: /, ''), time: Date.now() });
  };
  const run = new BrokerRun({
    runId, transport, signingKey: privateKey, tasks: tasks(), joblog, resumed: null,
    maxOutstanding: spec.concurrency.kind === 'count' ? spec.concurrency.n : undefined,
    retries: { count: spec.retries, delayMs: spec.retryDelayMs },
    halt: { rule: spec.halt, total: inputs.length },
    output: () => {},
    log,
    observe: (e, final) => view.observe(e, final),
  });
  service = new BrokerService(run, view, hosts, transport);
  await service.start();
  const resources = corralResources();
  const server = await startServer({ service, host: o.host, port: o.port, rendererDir: resources.rendererDir, log: (l) => io.stderr.write(l + '\n'), token: o.token });
  let stops = 0;
  let ended = false;
  let quit: () => void = () => {};
  const done = new Promise<void>((r) => (quit = r));
  const off = io.onInterrupt((cause) => {
    if (cause === 'stdout-closed') return;
    stops++;
    // The first Ctrl-C of a running job stops it (the dashboard goes when it has stopped); the second kills its tasks.
    if (ended) return quit();
    if (stops === 1) io.stderr.write('corral: stopping: cancelling tasks on their agents (Ctrl-C again to kill them)\n');
    detach(run.stop(stops === 1 ? 'graceful' : 'force'), (err) => io.stderr.write(`corral: ${err.message}\n`));
  });
  io.stdout.write(`corral: dashboard at ${server.url}\n`);
  io.stderr.write(`corral: broker run ${runId}, joblog ${joblogPath}\n`);
  const ran = run.run().then((c) => {
    const how = c.halted ? 'halted' : stops > 0 || view.state === 'stopping' || view.state === 'draining' ? 'stopped' : 'finished';
    service.finished(how, c.halted);
    io.stderr.write(`corral: ${c.ok} ok, ${c.failed} failed, ${c.killed} killed; ${c.lost} lost and ${c.superseded} superseded attempt(s)\n`);
  });
  detach(ran.finally(() => {
    ended = true;
    if (stops > 0) quit(); // the dashboard stays up after a run that finished on its own, until Ctrl-C
  }), (err) => io.stderr.write(`corral: broker run failed: ${err.message}\n`));
  await done;
  off();
  service.close();
  await server.close();
  await joblog.close();
  await transport.close();
  inputs.close();
  return 0;
}
