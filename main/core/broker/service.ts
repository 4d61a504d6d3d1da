// A broker run behind the contract (`corral serve --broker`): the dashboard sees it as a job whose
// slots are the agents' slots, plus the hosts table. What a broker run cannot do (pause, resize,
// load another job…) answers UNSUPPORTED, in words.
import type { CorralEvents, CorralService, EventName, MethodName, MethodValue } from '../../contract/api.js';
import { errorResult } from '../../contract/guardedCall.js';
import type { Notice, Result, Snapshot, TaskFilter, TaskInfo, TaskQuery, Tick } from '../../contract/types.js';
import { SNAPSHOT_PAGE } from '../../contract/types.js';
import { machineSample, type CpuTimes } from '../monitor/index.js';
import { readSwap } from '../monitor/machine.js';
import { detach } from '../errors.js';
import { ENDED_STATES } from '../pool/task.js';
import type { BrokerDashboard } from './dashboard.js';
import type { HostTable } from './hosts.js';
import type { BrokerRun } from './runner.js';
import type { SupervisorTransport } from './transport.js';

const TICK_MS = 1000;
const NOTICES_KEPT = 500;

type Handler = (args: never) => unknown;

export class BrokerService implements CorralService {
  readonly #run: BrokerRun;
  readonly #view: BrokerDashboard;
  readonly #hosts: HostTable;
  readonly #transport: SupervisorTransport;
  readonly #listeners: { [E in EventName]: Set<(p: CorralEvents[E]) => void> } = { tick: new Set(), notice: new Set() };
  readonly #notices: Notice[] = [];
  #n = 0;
  #timer: NodeJS.Timeout | null = null;
  #cpu: CpuTimes[] | undefined;
  #stopWatching: (() => void) | null = null;

  constructor(run: BrokerRun, view: BrokerDashboard, hosts: HostTable, transport: SupervisorTransport) {
    this.#run = run;
    this.#view = view;
    this.#hosts = hosts;
    this.#transport = transport;
  }

  /** Reads who is registered, follows the heartbeats, and ticks until close(). */
  async start(): Promise<void> {
    for (const a of await this.#transport.agents()) this.#hosts.update(a);
    this.#stopWatching = await this.#transport.watchAgents((a) => this.#hosts.update(a));
    this.#timer = setInterval(() => this.#tick(), TICK_MS);
  }

  /** The run ended (`how`: finished, halted or stopped): one last tick says so. */
  finished(how: 'finished' | 'halted' | 'stopped', haltReason: string | null): void {
    this.#view.state = how;
    this.#view.haltReason = haltReason;
    this.#view.endedAt = Date.now();
    this.notice({ level: how === 'finished' ? 'info' : 'warn', kind: 'job-finished', message: `job ${how}${haltReason ? `: ${haltReason}` : ''}`, time: Date.now() });
    this.#tick();
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#stopWatching?.();
  }

  notice(n: Notice): void {
    this.#notices.push(n);
    if (this.#notices.length > NOTICES_KEPT) this.#notices.shift();
    for (const cb of this.#listeners.notice) cb(n);
  }

  on<E extends EventName>(event: E, cb: (payload: CorralEvents[E]) => void): () => void {
    const set = this.#listeners[event] as Set<(p: CorralEvents[E]) => void>;
    set.add(cb);
    return () => set.delete(cb);
  }

  async call<M extends MethodName>(method: M, args: unknown): Promise<Result<MethodValue<M>>> {
    const handler = (this.#handlers as Partial<Record<MethodName, Handler>>)[method];
    if (!handler) return errorResult('UNSUPPORTED', `${method} is not available in a broker run (its tasks run on agents)`);
    return { ok: true, value: (await handler(args as never)) as MethodValue<M> };
  }

  readonly #handlers = {
    getSnapshot: (): Snapshot => this.#snapshot(),
    getTasks: (q: TaskQuery) => this.#page(q),
    getTaskDetail: ({ seq }: { seq: number }) => ({ task: this.#known(seq), tree: [], history: [] }),
    getTaskOutput: ({ seq, offset = 0, length = 256 * 1024 }: { seq: number; offset?: number; length?: number }) => {
      this.#known(seq);
      const bytes = this.#view.output(seq) ?? Buffer.alloc(0);
      const part = bytes.subarray(offset, offset + length);
      return { seq, offset, total: bytes.length, text: part.toString('utf8'), truncated: false, end: offset + part.length };
    },
    getStream: ({ from, to }: { from: number; to: number }) => this.#view.stream(from, to),
    killTask: async ({ seq, mode }: { seq: number; mode: 'graceful' | 'force' }) => {
      await this.#run.cancelTask(seq, mode);
      return null;
    },
    stopJob: async ({ mode }: { mode: 'drain' | 'graceful' | 'force' }) => {
      this.#view.state = mode === 'drain' ? 'draining' : 'stopping';
      await (mode === 'drain' ? this.#run.drain() : this.#run.stop(mode));
      return null;
    },
    startJob: () => null, // a broker run starts when served
    listRuns: () => [],
    listSupervisors: () => [],
    listLeftovers: () => [],
    listJobs: () => ({ jobs: [], busy: 0, pools: 0, cores: this.#machine().cores, machineCpuPercent: null }),
    setSettings: () => ({ tickMs: TICK_MS }),
    searchTasks: ({ text, in: where }: { text: string; in: 'input' | 'output' }) => {
      const needle = text.toLowerCase();
      const hit = (t: TaskInfo) => (where === 'input' ? t.command : (this.#view.output(t.seq)?.toString('utf8') ?? '')).toLowerCase().includes(needle);
      const found = this.#view.tasks().filter(hit);
      return { tasks: found.slice(0, 200), more: found.length > 200 };
    },
  };

  #known(seq: number): TaskInfo {
    const t = this.#view.task(seq);
    if (!t) throw new Error(`task ${seq} has not started on any agent yet`);
    return t;
  }

  #page(q: TaskQuery) {
    const rows = this.#view.tasks().filter((t) => matches(t, q.filter ?? 'all'));
    const key = q.sort ?? 'seq';
    const num = (t: TaskInfo): number => (key === 'input' || key === 'state' ? 0 : key === 'pids' ? t.pids.length : ((t[key] as number | null) ?? -1));
    if (key !== 'seq') rows.sort((a, b) => num(a) - num(b) || a.seq - b.seq);
    if (q.desc) rows.reverse();
    return { total: rows.length, offset: q.offset, tasks: rows.slice(q.offset, q.offset + q.limit) };
  }

  #machine() {
    const m = machineSample(this.#cpu);
    this.#cpu = m.cpuTimes;
    return { cores: m.cores, perCore: m.perCore, loadAvg: m.loadAvg, freeMem: m.freeMem, totalMem: m.totalMem, swap: readSwap() };
  }

  #snapshot(): Snapshot {
    const tasks = this.#view.tasks();
    const live = tasks.filter((t) => !ENDED_STATES.has(t.state));
    const first = tasks.slice(0, SNAPSHOT_PAGE);
    const seen = new Set(first.map((t) => t.seq));
    const tick = this.#tickBody();
    return {
      tick: this.#n, time: Date.now(), job: tick.job, settings: { tickMs: TICK_MS }, tasks: [...first, ...live.filter((t) => !seen.has(t.seq))],
      slots: tick.slots, pool: [tick.pool], slotHistory: {}, machine: tick.machine, leftovers: [], jobText: null, notices: [...this.#notices], hosts: tick.hosts,
    };
  }

  #tickBody(): Omit<Tick, 'n' | 'tasks'> {
    const now = Date.now();
    const hosts = this.#hosts.rows(now);
    const job = this.#view.info();
    const machine = this.#machine();
    const cpu = hosts.reduce((a, h) => a + h.cpuPercent, 0);
    const pool = { time: now, cpuPercent: cpu, machinePercent: cpu / Math.max(1, hosts.reduce((a, h) => a + h.cores, 0)), rss: hosts.reduce((a, h) => a + h.rss, 0), procs: 0, queued: job.counts.queued, running: job.counts.running };
    return { time: now, intervalMs: TICK_MS, job, slots: this.#view.slots(), pool, machine, hosts };
  }

  #tick(): void {
    for (const name of this.#hosts.newlyLost(Date.now())) {
      this.notice({ level: 'warn', kind: 'info', message: `host ${name} lost: no heartbeat for 5 s; the broker gives its tasks to other agents`, time: Date.now() });
    }
    const tick: Tick = { n: ++this.#n, tasks: this.#view.takeChanged(), ...this.#tickBody() };
    for (const cb of this.#listeners.tick) cb(tick);
    // Registrations are read again now and then: a heartbeat missed on the channel is not a lost host.
    if (this.#n % 5 === 0) detach(this.#transport.agents().then((list) => list.forEach((a) => this.#hosts.update(a))), () => {});
  }
}

function matches(t: TaskInfo, f: TaskFilter): boolean {
  if (f === 'all') return true;
  if (f === 'ended') return ENDED_STATES.has(t.state);
  if (f === 'active') return !ENDED_STATES.has(t.state);
  return t.state === f;
}
