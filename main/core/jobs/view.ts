import { EventEmitter } from 'node:events';
import type { CorralEvents, CorralService, EventName, LiveJobSummary, MethodName, MethodValue, Result, Snapshot } from '../../contract/index.js';
import { methodArgs } from '../../contract/index.js';
import { TickRenumber } from '../control/renumber.js';
import { CorralFailure, toCorralError } from '../errors.js';
import type { JobRegistry, LiveJob } from './registry.js';

// One UI's (or one control connection's) way into the registry: the contract of the job it has
// selected, as attach routes to another supervisor. Switching renumbers ticks so clients resync;
// no method grows a job id.

export interface JobView extends CorralService {
  readonly jobId: string;
  close(): void;
}

type Own = (args: never) => Promise<unknown> | unknown;

export function createJobView(registry: JobRegistry, first: LiveJob = registry.newest()): JobView {
  const events = new EventEmitter();
  events.setMaxListeners(100);
  const numbers = new TickRenumber();
  let current = first;
  const follow = (job: LiveJob) => {
    const offT = job.supervisor.on('tick', (t) => events.emit('tick', numbers.tick(t)));
    const offN = job.supervisor.on('notice', (n) => events.emit('notice', n));
    return () => (offT(), offN());
  };
  let unfollow = follow(current);
  const select = (job: LiveJob) => {
    if (job === current) return;
    unfollow();
    current = job;
    numbers.switched();
    unfollow = follow(job);
  };
  const summary = (job: LiveJob): LiveJobSummary => ({ ...job.summary, selected: job === current });
  const offRemoved = registry.on('removed', (jobId) => {
    if (jobId === current.jobId) select(registry.newest());
  });

  const own: Partial<Record<MethodName, Own>> = {
    listJobs: () => registry.list(current.jobId),
    newJob: () => {
      const job = registry.add();
      select(job);
      return summary(job);
    },
    selectJob: (a: { jobId: string }) => {
      const job = registry.get(a.jobId);
      select(job);
      return summary(job);
    },
    closeJob: async (a: { jobId: string }) => (await registry.close(a.jobId), null),
  };

  return {
    get jobId() {
      return current.jobId;
    },
    async call<M extends MethodName>(method: M, args: unknown): Promise<Result<MethodValue<M>>> {
      const handler = own[method];
      if (!handler) {
        const r = await current.supervisor.call(method, args);
        return method === 'getSnapshot' && r.ok ? { ok: true, value: numbers.snapshot(r.value as Snapshot) as MethodValue<M> } : r;
      }
      try {
        const parsed = methodArgs[method].safeParse(args);
        if (!parsed.success) throw new CorralFailure('INVALID_ARGUMENT', `${method}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
        return { ok: true, value: (await handler((parsed.data ?? {}) as never)) as MethodValue<M> };
      } catch (err) {
        return { ok: false, error: toCorralError(err) };
      }
    },
    on<E extends EventName>(event: E, cb: (payload: CorralEvents[E]) => void): () => void {
      events.on(event, cb);
      return () => events.off(event, cb);
    },
    close() {
      offRemoved();
      unfollow();
    },
  };
}
