// BullMQ over Redis behind the transport interface. A completion goes through BullMQ's
// moveToFinished, which checks the lock in the same script that writes the `completed` event:
// a late result of a task someone else now holds is rejected, never written twice.
import { Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { brokerClient } from './connect.js';
import { agentKey, CANCEL_CHANNEL, EVENTS_STREAM, lifeStream, PREFIX, QUEUE, SAMPLES_CHANNEL, seqOfJobId, taskJobId } from './keys.js';
import type { AgentInfo, AgentTransport, AttemptReport, CancelMessage, HeldTask, LifecycleEvent, SupervisorTransport, TaskPayload } from './transport.js';

export interface LockTimes {
  /** How long a lock holds without renewal (the tests: 3 s) */
  lockMs: number;
  /** How often dead holders' tasks are looked for (1 s) */
  stalledCheckMs: number;
  /** A task whose holder died this many times fails instead of running again */
  maxStalls: number;
}

export const EVENTS_MAX_LEN = 200_000;

export const DEFAULT_LOCK_TIMES: LockTimes = Object.freeze({ lockMs: 10_000, stalledCheckMs: 5_000, maxStalls: 2 });

const connection = (url: string) => ({ url, maxRetriesPerRequest: null });

type StreamReply = [string, [string, string[]][]][] | null;

function fields(list: string[]): Record<string, string> {
  const o: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) o[list[i]] = list[i + 1];
  return o;
}

/** BullMQ's own event of a task (completed, failed, stalled) as a lifecycle event of the run. */
function queueEvent(runId: string, f: Record<string, string>): LifecycleEvent | null {
  const seq = f.jobId ? seqOfJobId(runId, f.jobId) : null;
  if (seq === null) return null;
  if (f.event === 'completed') {
    const report = JSON.parse(f.returnvalue ?? 'null') as AttemptReport | null;
    return report ? { kind: 'end', seq, report } : null; // not an agent's report: the task is asked for directly (reconcile)
  }
  if (f.event === 'failed') return { kind: 'failed', seq, reason: f.failedReason ?? 'failed' };
  if (f.event === 'stalled') return { kind: 'lost', seq };
  return null;
}

export class BullmqAgentTransport implements AgentTransport {
  readonly #worker: Worker;
  readonly #redis: Redis;
  #sub: Redis | null = null;
  readonly #url: string;

  constructor(url: string, times: LockTimes) {
    this.#url = url;
    this.#worker = new Worker(QUEUE, null, {
      connection: connection(url),
      prefix: PREFIX,
      autorun: false,
      lockDuration: times.lockMs,
      stalledInterval: times.stalledCheckMs,
      maxStalledCount: times.maxStalls,
      drainDelay: 1,
    });
    this.#worker.on('error', () => {}); // connection errors: the fencing clock decides, see agent.ts
    this.#redis = brokerClient(url);
  }

  async take(token: string): Promise<HeldTask | null> {
    const job = (await this.#worker.getNextJob(token, { block: true })) as Job<TaskPayload> | undefined;
    if (!job) return null;
    // A task stalled past the limit comes back once more with a deferred failure: a manual worker must fail it.
    const failBeforeRun = (job as { deferredFailure?: string }).deferredFailure ?? null;
    return Object.assign(Object.create(null) as object, { payload: job.data, attempt: job.attemptsStarted, failBeforeRun, token, job }) as HeldTask;
  }

  async extend(task: HeldTask, ms: number): Promise<boolean> {
    return (await jobOf(task).extendLock(task.token, ms)) === 1;
  }

  async complete(task: HeldTask, report: AttemptReport): Promise<'done' | 'superseded'> {
    try {
      await jobOf(task).moveToCompleted(report, task.token, false);
      return 'done';
    } catch (err) {
      if (/Missing lock|Lock mismatch|Missing key|not in the active state/.test((err as Error).message)) return 'superseded';
      throw err;
    }
  }

  async refuse(task: HeldTask, reason: string): Promise<void> {
    try {
      await jobOf(task).moveToFailed(new Error(reason), task.token, false);
    } catch {
      // Lock already lost: the task will be offered again and refused again.
    }
  }

  async publish(runId: string, event: LifecycleEvent): Promise<void> {
    await this.#redis.xadd(lifeStream(runId), '*', 'e', JSON.stringify(event));
  }

  async onCancel(cb: (m: CancelMessage) => void): Promise<void> {
    this.#sub = brokerClient(this.#url);
    this.#sub.on('message', (_channel: string, text: string) => cb(JSON.parse(text) as CancelMessage));
    await this.#sub.subscribe(CANCEL_CHANNEL);
  }

  async register(info: AgentInfo, ttlMs: number): Promise<void> {
    const text = JSON.stringify(info);
    // The key says who is alive (it expires with the agent); the message is the sample a live view follows.
    await this.#redis.multi().set(agentKey(info.name), text, 'PX', ttlMs).publish(SAMPLES_CHANNEL, text).exec();
  }

  async watchStalled(): Promise<void> {
    await this.#worker.startStalledCheckTimer();
  }

  async close(): Promise<void> {
    await this.#worker.close(true).catch(() => {});
    this.#sub?.disconnect();
    this.#redis.disconnect();
  }
}

function jobOf(task: HeldTask): Job<TaskPayload> {
  return (task as unknown as { job: Job<TaskPayload> }).job;
}

export class BullmqSupervisorTransport implements SupervisorTransport {
  readonly #queue: Queue;
  readonly #redis: Redis;
  readonly #reader: Redis;
  readonly #url: string;
  readonly #subs = new Set<Redis>();

  constructor(url: string) {
    this.#url = url;
    // A supervisor reads ends from the events stream; BullMQ trims it (10 000 by default), about
    // five events per task: room for a supervisor that fell behind (runner.ts also reconciles).
    this.#queue = new Queue(QUEUE, { connection: connection(url), prefix: PREFIX, streams: { events: { maxLen: EVENTS_MAX_LEN } } });
    this.#queue.on('error', () => {});
    this.#redis = brokerClient(url);
    this.#reader = brokerClient(url); // XREAD BLOCK holds its connection
  }

  async add(tasks: TaskPayload[], retry?: { n: number; delayMs: number }): Promise<void> {
    // Kept after completion: a re-add after a supervisor restart finds the id and adds nothing.
    const opts = (p: TaskPayload) => ({ jobId: taskJobId(p.runId, p.seq, retry?.n), attempts: 1, removeOnComplete: false, removeOnFail: false, delay: retry?.delayMs || undefined });
    await this.#queue.addBulk(tasks.map((p) => ({ name: 'task', data: p, opts: opts(p) })));
  }

  /** The task's broker tasks, first attempt and then its retries, as far as they exist. */
  async #attempts(runId: string, seq: number): Promise<Job<TaskPayload, AttemptReport>[]> {
    const jobs: Job<TaskPayload, AttemptReport>[] = [];
    for (let n = 0; ; n++) {
      const job = (await Job.fromId(this.#queue, taskJobId(runId, seq, n))) as Job<TaskPayload, AttemptReport> | undefined;
      if (!job) return jobs;
      jobs.push(job);
    }
  }

  async head(runId: string): Promise<string> {
    const last = async (key: string) => ((await this.#redis.xrevrange(key, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0');
    return `${await last(EVENTS_STREAM)} ${await last(lifeStream(runId))}`;
  }

  async read(runId: string, cursor: string, blockMs: number): Promise<{ events: LifecycleEvent[]; cursor: string }> {
    let [qc, lc] = cursor.split(' ');
    const reply = (await this.#reader.xread('COUNT', 1000, 'BLOCK', blockMs, 'STREAMS', EVENTS_STREAM, lifeStream(runId), qc, lc)) as StreamReply;
    const events: LifecycleEvent[] = [];
    for (const [key, entries] of reply ?? []) {
      for (const [id, list] of entries) {
        const f = fields(list);
        if (key === EVENTS_STREAM) {
          qc = id;
          const e = queueEvent(runId, f);
          if (e) events.push(e);
        } else {
          lc = id;
          events.push(JSON.parse(f.e) as LifecycleEvent);
        }
      }
    }
    return { events, cursor: `${qc} ${lc}` };
  }

  async ended(runId: string, seq: number): Promise<LifecycleEvent | null> {
    const last = (await this.#attempts(runId, seq)).at(-1);
    if (!last) return null;
    const state = await last.getState();
    if (state !== 'completed' && state !== 'failed') return null;
    // Read again once final: the first read may predate the completion that wrote the result.
    const job = (await Job.fromId(this.#queue, last.id!)) as Job<TaskPayload, AttemptReport> | undefined;
    if (!job) return null;
    if (state === 'completed') return job.returnvalue ? { kind: 'end', seq, report: job.returnvalue } : null;
    return { kind: 'failed', seq, reason: job.failedReason };
  }

  async forget(runId: string, seq: number): Promise<void> {
    for (const job of await this.#attempts(runId, seq)) await job.remove();
  }

  async cancel(m: CancelMessage): Promise<void> {
    await this.#redis.publish(CANCEL_CHANNEL, JSON.stringify(m));
  }

  async drain(runId: string, seqs: number[]): Promise<void> {
    for (const seq of seqs) {
      const job = (await this.#attempts(runId, seq)).at(-1);
      const state = await job?.getState();
      if (state === 'waiting' || state === 'delayed') await job!.remove().catch(() => {}); // taken meanwhile: the cancel reaches it
    }
  }

  async agents(): Promise<AgentInfo[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await this.#redis.scan(cursor, 'MATCH', agentKey('*'), 'COUNT', 1000);
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');
    const values = keys.length ? await this.#redis.mget(...keys) : [];
    return values.filter((v): v is string => v !== null).map((v) => JSON.parse(v) as AgentInfo);
  }

  async watchAgents(cb: (info: AgentInfo) => void): Promise<() => void> {
    const sub = brokerClient(this.#url);
    sub.on('message', (_channel: string, text: string) => cb(JSON.parse(text) as AgentInfo));
    await sub.subscribe(SAMPLES_CHANNEL);
    this.#subs.add(sub);
    return () => {
      this.#subs.delete(sub);
      sub.disconnect();
    };
  }

  async close(): Promise<void> {
    for (const sub of this.#subs) sub.disconnect();
    await this.#queue.close().catch(() => {});
    this.#redis.disconnect();
    this.#reader.disconnect();
  }
}
