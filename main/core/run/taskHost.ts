import type { FromHost, HostIdle, PlainError, ToHost } from './hostMessages.js';
import type { OutputBuffer } from './outputBuffer.js';

export type HostExit = { code: number | null; signal: NodeJS.Signals | null };

export type ModuleAttemptEnd =
  | { ok: true; value: unknown; bytes: number; usage: FromHostUsage; repr?: string }
  | { ok: false; error: PlainError; usage?: FromHostUsage; hostExit: HostExit | null };
type FromHostUsage = Extract<FromHost, { type: 'result' }>['usage'];

export interface TaskHooks {
  output: OutputBuffer;
  /** Output, progress or heartbeat; stdoutBytes: the size of a chunk the host wrote to stdout */
  onActivity(stdoutBytes?: number): void;
  onProgress(fraction: number, message?: string): void;
  /** The host began the task: its CPU time and RSS before it (null if it never told them) */
  onStart?(idle: HostIdle | null): void;
}

/** A task sent to a host: it is queued (not running) until the host begins it. */
export interface SentTask {
  /** The host began it: from now on it runs, and `attach` gives its end */
  begun(): void;
  /** Given back unbegun (recalled, or the host died first): no attempt was used */
  returned(): void;
}

export type StartFields = Omit<Extract<ToHost, { type: 'start' }>, 'type' | 'module'> & { module?: string };

interface Current {
  taskId: number;
  idle: HostIdle | null;
  hooks: TaskHooks | null;
  /** Told the end once `attach` has taken it (synchronously, as the host's message is read) */
  onEnd: ((e: ModuleAttemptEnd) => void) | null;
  ended: ModuleAttemptEnd | null;
  /** Begun by the supervisor when sent to a host still starting: its start-up is the task's time */
  local: boolean;
  /** What arrived before `attach` (the slot's previous task was still ending): replayed to the hooks */
  early: ((h: TaskHooks) => void)[];
}

/**
 * The per-slot host's task bookkeeping, shared by the Node and the Python host: tasks sent but
 * not begun (prefetched), the one begun task, recalls, batched sends, and the host's death
 * (fails only the begun task; the prefetched ones come back unbegun).
 */
export abstract class TaskHost {
  /** Tasks the host began (maxTasksPerWorker counts these) */
  tasksRun = 0;
  /** Tasks sent and not given back: never more than maxTasksPerWorker */
  sent = 0;
  /** Told to the reaper and the ledger (once per host, not per task) */
  registered = false;
  #exit: HostExit | null = null;
  #ready = false;
  #current: Current | null = null;
  /** Begun tasks whose end `attach` has not taken yet */
  readonly #begun = new Map<number, Current>();
  readonly #pending = new Map<number, SentTask>();
  readonly #recalling = new Set<number>();
  #outbox: ToHost[] = [];
  #flushing = false;
  #idle: HostIdle | null = null;

  abstract get pid(): number | null;
  /** Writes one batch of messages to the host */
  protected abstract write(batch: ToHost[]): void;

  get alive(): boolean {
    return this.#exit === null;
  }

  protected get exitInfo(): HostExit | null {
    return this.#exit;
  }

  /** Tasks sent to this host and not ended or given back: the begun one and the prefetched. */
  get outstanding(): number {
    return (this.#current ? 1 : 0) + this.#pending.size;
  }

  /** Prefetched tasks (sent, not begun), recalls in flight included. */
  get waiting(): number {
    return this.#pending.size;
  }

  /** Ids of the prefetched tasks not being recalled, oldest first. */
  waitingIds(): number[] {
    return [...this.#pending.keys()].filter((id) => !this.#recalling.has(id));
  }

  /** Sends a task; on a host still starting with nothing else, it begins at once (before this returns). */
  send(start: StartFields, task: SentTask): void {
    this.sent++;
    this.#pending.set(start.taskId, task);
    this.#queue({ type: 'start', ...start } as ToHost);
    if (!this.#ready && !this.#current && this.#pending.size === 1) this.#begin(start.taskId, this.#idle, true);
  }

  /** The begun task's end; its output, progress and activity go to `hooks` from now on. */
  attach(taskId: number, hooks: TaskHooks): Promise<ModuleAttemptEnd> {
    return new Promise((resolve) => this.attachThen(taskId, hooks, resolve));
  }

  /**
   * `attach` without a promise: `onEnd` is called with the task's end as the host's message that
   * carries it is read (never before this returns), so a batch of ends is handled in one turn.
   */
  attachThen(taskId: number, hooks: TaskHooks, onEnd: (e: ModuleAttemptEnd) => void): void {
    const cur = this.#begun.get(taskId);
    if (!cur) {
      const end: ModuleAttemptEnd = { ok: false, error: { name: 'HostFailed', message: `internal error: task ${taskId} is not the host's`, byHost: true }, hostExit: null };
      queueMicrotask(() => onEnd(end));
      return;
    }
    cur.hooks = hooks;
    if (!cur.local) hooks.onStart?.(cur.idle);
    if (cur.early.length > 0) {
      for (const replay of cur.early) replay(hooks);
      cur.early = [];
    }
    if (cur.ended) {
      this.#begun.delete(taskId);
      const end = cur.ended;
      queueMicrotask(() => onEnd(end));
      return;
    }
    cur.onEnd = onEnd;
  }

  /** Send, begin, attach: one task on a host that holds nothing else (tests, tools). */
  run(start: StartFields, hooks: TaskHooks): Promise<ModuleAttemptEnd> {
    return new Promise((resolve) =>
      this.send(start, {
        begun: () => resolve(this.attach(start.taskId, hooks)),
        returned: () => resolve({ ok: false, error: { name: 'HostExited', message: 'the host ended before the task began' }, hostExit: this.#exit }),
      }),
    );
  }

  /** Takes prefetched tasks back (all by default); each comes back through `returned`, unless the host began it first. */
  recall(taskIds?: number[]): void {
    const ids = (taskIds ?? [...this.#pending.keys()]).filter((id) => this.#pending.has(id) && !this.#recalling.has(id));
    if (ids.length === 0) return;
    // Still in the outbox: never sent, given back now without asking the host.
    const unsent = new Set(ids.filter((id) => this.#outbox.some((m) => m.type === 'start' && m.taskId === id)));
    if (unsent.size > 0) {
      this.#outbox = this.#outbox.filter((m) => !(m.type === 'start' && unsent.has(m.taskId)));
      for (const id of unsent) this.#giveBack(id);
    }
    const asked = ids.filter((id) => !unsent.has(id));
    if (asked.length === 0) return;
    for (const id of asked) this.#recalling.add(id);
    this.#queue({ type: 'recall', taskIds: asked });
  }

  /** Aborts the begun task's ctx.signal; a prefetched one is recalled instead. */
  abort(taskId: number, reason: string): void {
    if (this.#pending.has(taskId)) this.recall([taskId]);
    else if (this.#current?.taskId === taskId) this.#queue({ type: 'abort', taskId, reason });
  }

  shutdown(): void {
    this.#queue({ type: 'shutdown' });
    this.#flush();
  }

  // ---- from the host ---------------------------------------------------------------------

  protected onReady(idle: HostIdle): void {
    this.#ready = true;
    this.#idle = idle;
    const cur = this.#current;
    // The task begun at send learns its baseline now (the host told it while idle).
    if (cur?.local) {
      cur.idle = idle;
      cur.hooks?.onStart?.(idle);
    }
  }

  protected onMessage(m: FromHost): void {
    if (m.type === 'begin') return this.#onBegin(m.taskId, m.idle);
    if (m.type === 'recalled') {
      for (const id of m.taskIds) if (this.#recalling.has(id)) this.#giveBack(id);
      return;
    }
    const cur = this.#current;
    if (!cur || !('taskId' in m) || m.taskId !== cur.taskId) return;
    switch (m.type) {
      case 'progress':
        this.#toHooks(cur, (h) => {
          h.onProgress(m.fraction, m.message);
          h.onActivity();
        });
        break;
      case 'heartbeat':
        this.#toHooks(cur, (h) => h.onActivity());
        break;
      case 'log': {
        const bytes = Buffer.from(m.text);
        this.#toHooks(cur, (h) => {
          h.output.push(bytes, m.stream);
          h.onActivity(m.stream === 'stdout' ? bytes.length : 0);
        });
        break;
      }
      case 'result':
        this.#idle = m.usage.idle;
        this.#end({ ok: true, value: m.value, bytes: m.bytes, usage: m.usage, ...('repr' in m && m.repr ? { repr: m.repr as string } : {}) });
        break;
      case 'error':
        this.#idle = m.usage.idle;
        this.#end({ ok: false, error: m.error, usage: m.usage, hostExit: null });
        break;
    }
  }

  /** Output the host's fd 1/2 carried (not attributed by the host itself): the begun task's. */
  protected onOutput(chunk: Buffer, stream: 'stdout' | 'stderr'): void {
    const cur = this.#current;
    if (!cur) return;
    this.#toHooks(cur, (h) => {
      h.output.push(chunk, stream);
      h.onActivity(stream === 'stdout' ? chunk.length : 0);
    });
  }

  #toHooks(cur: Current, f: (h: TaskHooks) => void): void {
    if (cur.hooks) f(cur.hooks);
    else cur.early.push(f);
  }

  /** The host is gone: the begun task fails with `error`, the prefetched come back unbegun. */
  protected onExit(exit: HostExit, error: PlainError): void {
    this.#exit = exit;
    this.#outbox = [];
    // The prefetched go back first: the begun task's end (told synchronously) may start a fresh host.
    for (const id of [...this.#pending.keys()]) this.#giveBack(id);
    if (this.#current) this.#end({ ok: false, error, hostExit: exit });
  }

  #onBegin(taskId: number, idle: HostIdle): void {
    this.#idle = idle;
    if (this.#current?.taskId === taskId) return; // begun at send (host starting)
    if (this.#pending.has(taskId)) this.#begin(taskId, idle, false);
  }

  #begin(taskId: number, idle: HostIdle | null, local: boolean): void {
    const task = this.#pending.get(taskId)!;
    this.#pending.delete(taskId);
    this.#recalling.delete(taskId);
    this.#current = { taskId, idle, hooks: null, onEnd: null, ended: null, local, early: [] };
    this.#begun.set(taskId, this.#current);
    this.tasksRun++;
    task.begun();
  }

  #end(end: ModuleAttemptEnd): void {
    const cur = this.#current!;
    this.#current = null;
    if (cur.onEnd) {
      this.#begun.delete(cur.taskId);
      cur.onEnd(end);
    } else cur.ended = end;
  }

  #giveBack(id: number): void {
    const task = this.#pending.get(id);
    if (!task) return;
    this.#pending.delete(id);
    this.#recalling.delete(id);
    this.sent--;
    task.returned();
  }

  // ---- to the host: one write per event-loop turn --------------------------------------------

  #queue(m: ToHost): void {
    if (!this.alive) return;
    this.#outbox.push(m);
    if (this.#flushing) return;
    this.#flushing = true;
    queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    this.#flushing = false;
    if (this.#outbox.length === 0) return;
    const batch = this.#outbox;
    this.#outbox = [];
    if (this.alive) this.write(batch);
  }
}

export function describeExit(code: number | null, signal: string | null): string {
  return signal ? `host killed by ${signal}` : `host exited with code ${code}`;
}
