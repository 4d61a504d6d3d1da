import { EventEmitter } from 'node:events';
import type { CorralEvents, CorralService, EventName, MethodName, MethodValue, Notice, Result, Snapshot, SupervisorEntry, Tick } from '../../contract/index.js';
import { CorralFailure, detach, toCorralError } from '../errors.js';
import { connectControl, type RemoteService } from './client.js';
import { readEntries, toSupervisorEntry } from './registry.js';
import { TickRenumber } from './renumber.js';

/** The jobs of this process: answered here even while attached to another supervisor */
const localMethods: ReadonlySet<MethodName> = new Set(['listJobs', 'newJob', 'selectJob', 'closeJob']);

// What `corral serve` and the app put in front of their own supervisor: the same contract, but
// after attachSupervisor every call and event goes to another supervisor on this machine.

export interface AttachableService extends CorralService {
  /** pid of the supervisor attached to, or null for our own */
  readonly attachedPid: number | null;
  close(): void;
}

export function createAttachable(local: CorralService, stateDir: string): AttachableService {
  const events = new EventEmitter();
  events.setMaxListeners(100);
  let remote: { pid: number; service: RemoteService; off: () => void } | null = null;
  const numbers = new TickRenumber();
  const outTick = (t: Tick) => events.emit('tick', numbers.tick(t));
  const forward = (from: CorralService, isCurrent: () => boolean) => {
    const offT = from.on('tick', (t) => isCurrent() && outTick(t));
    const offN = from.on('notice', (n) => isCurrent() && events.emit('notice', n));
    return () => (offT(), offN());
  };
  forward(local, () => remote === null);
  const notice = (message: string) => events.emit('notice', { level: 'warn', kind: 'info', message, time: Date.now() } satisfies Notice);

  const release = () => {
    if (!remote) return;
    const r = remote;
    remote = null;
    numbers.switched();
    r.off();
    r.service.close();
  };

  async function attach(pid: number): Promise<SupervisorEntry> {
    const entries = await readEntries(stateDir);
    const e = entries.find((x) => x.pid === pid);
    if (!e) throw new CorralFailure('NOT_FOUND', `no live supervisor with pid ${pid} on this machine`);
    release();
    if (pid === process.pid) return toSupervisorEntry(e, null);
    const service = await connectControl(e.socket).catch((err: Error) => {
      throw new CorralFailure('NOT_FOUND', `supervisor ${pid}: ${err.message}`);
    });
    const r = { pid, service, off: () => {} };
    r.off = forward(service, () => remote === r);
    remote = r;
    numbers.switched();
    detach(
      service.closed.then(() => {
        if (remote !== r) return;
        release();
        notice(`supervisor ${pid} (${e.jobName ?? 'no job'}) is gone; showing this one again`);
      }),
      () => {},
    );
    return toSupervisorEntry(e, pid);
  }

  async function own<M extends MethodName>(method: M, args: unknown): Promise<Result<MethodValue<M>> | null> {
    const wrap = async (v: () => Promise<unknown>) => {
      try {
        return { ok: true, value: (await v()) as MethodValue<M> } as const;
      } catch (err) {
        return { ok: false, error: toCorralError(err) } as const;
      }
    };
    if (method === 'listSupervisors') return wrap(async () => (await readEntries(stateDir)).map((e) => toSupervisorEntry(e, remote?.pid ?? null)));
    if (method === 'attachSupervisor') return wrap(() => attach((args as { pid: number }).pid));
    if (method === 'detachSupervisor') return wrap(async () => (release(), null));
    // The jobs of this process stay listed while attached; picking one (or a new one) detaches.
    if (method === 'newJob' || method === 'selectJob') release();
    if (method === 'listJobs' && remote) {
      const r = await local.call('listJobs', args);
      return (r.ok ? { ok: true, value: { ...r.value, jobs: r.value.jobs.map((j) => ({ ...j, selected: false })) } } : r) as Result<MethodValue<M>>;
    }
    return null;
  }

  return {
    get attachedPid() {
      return remote?.pid ?? null;
    },
    async call<M extends MethodName>(method: M, args: unknown): Promise<Result<MethodValue<M>>> {
      const mine = await own(method, args);
      if (mine) return mine;
      const target = remote && !localMethods.has(method) ? remote.service : local;
      const r = await target.call(method, args);
      if (method === 'getSnapshot' && r.ok) return { ok: true, value: numbers.snapshot(r.value as Snapshot) as MethodValue<M> };
      return r;
    },
    on<E extends EventName>(event: E, cb: (payload: CorralEvents[E]) => void): () => void {
      events.on(event, cb);
      return () => events.off(event, cb);
    },
    close: release,
  };
}
