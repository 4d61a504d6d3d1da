import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { FromHost, HostIdle, PlainError } from './hostMessages.js';
import { describeExit, type ModuleAttemptEnd, type TaskHooks } from './moduleHost.js';

/** What a Python task's end adds to a module task's: repr is set when the result was not JSON and crossed as its repr(). */
export type PythonAttemptEnd = ModuleAttemptEnd & { repr?: string };

/** Host → supervisor: the Node host's messages, plus the function failing to load (the host then exits). */
type FromPyHost = FromHost | { type: 'loadError'; stage: 'import' | 'init'; error: PlainError } | (Extract<FromHost, { type: 'result' }> & { repr?: string });

export interface PythonHostOptions {
  /** The interpreter and its own arguments, e.g. ['python3'] or ['py', '-3'] */
  interpreter: string[];
  script: string;
  /** '/abs/file.py:func' or 'pkg.mod:func' */
  target: string;
  init: string | null;
  baseDir: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface PythonStart {
  taskId: number;
  input: string;
  slot: number;
  attempt: number;
  maxResultBytes: number;
}

/** Messages written after the host exited are still read (a load error, a result just before a kill), this long at most. */
const LAST_WORDS_MS = 1000;

/**
 * One reused Python host per slot (workers/pyhost/corral_host.py), the counterpart of ModuleHost:
 * JSON lines on fd 3 (to the host) and fd 4 (from it), since the host captures fd 1/2 per task.
 */
export class PythonHost {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  tasksRun = 0;
  registered = false;
  #exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  #current: { taskId: number; hooks: TaskHooks; resolve: (e: PythonAttemptEnd) => void } | null = null;
  #starting: { taskId: number; abortReason: string | null } | null = null;
  #idle: HostIdle | null = null;
  #loadError: PlainError | null = null;
  readonly #toHost: Writable | null;
  readonly #target: string;
  readonly #init: string | null;

  constructor(opts: PythonHostOptions) {
    this.#target = opts.target;
    this.#init = opts.init;
    const [file, ...args] = opts.interpreter;
    this.child = spawn(file, [...args, opts.script, opts.target, opts.init ?? '', opts.baseDir], {
      cwd: opts.cwd,
      env: { ...opts.env, PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8' },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
      detached: process.platform !== 'win32', // own process group: tree kill and tree sampling as for any task
      windowsHide: true,
    });
    this.#toHost = (this.child.stdio[3] as Writable | null) ?? null;
    this.#toHost?.on('error', () => {}); // a host that died: its exit reports it
    const fromHost = this.child.stdio[4] as Readable | null;
    // Before the host captures its own fd 1/2 (and on Windows) output comes here.
    const onData = (chunk: Buffer, stdout: boolean) => {
      if (!this.#current) return;
      this.#current.hooks.output.push(chunk, stdout ? 'stdout' : 'stderr');
      this.#current.hooks.onActivity(stdout ? chunk.length : 0);
    };
    this.child.stdout?.on('data', (c: Buffer) => onData(c, true));
    this.child.stderr?.on('data', (c: Buffer) => onData(c, false));
    // Messages written just before the host exited are read first: fd 4's end, or LAST_WORDS_MS at most
    // (a task's own child may hold fd 4 open).
    let closed = !fromHost;
    let onClosed: (() => void) | null = null;
    const close = () => {
      closed = true;
      onClosed?.();
    };
    fromHost?.once('close', close);
    fromHost?.once('error', close);
    this.ready = new Promise((resolve, reject) => {
      this.child.once('error', reject);
      let buf = '';
      fromHost?.setEncoding('utf8');
      fromHost?.on('data', (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          let m: FromPyHost;
          try {
            m = JSON.parse(line) as FromPyHost;
          } catch {
            continue; // not the host's (user code wrote to fd 4): no message
          }
          if (m.type === 'ready') {
            this.#idle = m.idle;
            resolve();
          } else if (m.type === 'loadError') {
            const e = m.error;
            const what = m.stage === 'init' ? `init ${this.#init}() failed` : `loading ${this.#target} failed`;
            this.#loadError = { ...e, message: `${what}: ${e.name}: ${e.message}` };
          }
          else this.#onMessage(m);
        }
      });
      this.child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        const finish = () => {
          clearTimeout(timer);
          onClosed = null;
          const error: PlainError = this.#loadError ?? { name: 'HostExited', message: describeExit(code, signal) };
          reject(Object.assign(new Error(error.message), { plain: error }));
          const cur = this.#current;
          this.#current = null;
          cur?.resolve({ ok: false, error, hostExit: { code, signal } });
        };
        const timer = setTimeout(finish, closed ? 0 : LAST_WORDS_MS);
        onClosed = finish;
      });
    });
    this.ready.catch(() => {}); // observed through run()
  }

  get pid(): number | null {
    return this.child.pid ?? null;
  }

  get alive(): boolean {
    return this.#exit === null;
  }

  async run(msg: PythonStart, hooks: TaskHooks): Promise<PythonAttemptEnd> {
    const starting = { taskId: msg.taskId, abortReason: null as string | null };
    this.#starting = starting;
    try {
      await this.ready;
    } catch (err) {
      const plain = (err as { plain?: PlainError }).plain;
      // The function did not load: its own error (with the import's traceback) is the task's.
      if (plain && this.#loadError) {
        return { ok: false, error: { ...plain, byHost: true }, hostExit: this.#exit };
      }
      return { ok: false, error: { name: 'HostFailed', message: `python host failed to start: ${(err as Error).message}`, byHost: true }, hostExit: this.#exit };
    } finally {
      this.#starting = null;
    }
    if (starting.abortReason !== null) return { ok: false, error: { name: 'Error', message: starting.abortReason }, hostExit: null };
    return new Promise((resolve) => {
      this.#current = { taskId: msg.taskId, hooks, resolve };
      this.tasksRun++;
      hooks.onStart?.(this.#idle);
      this.#send({ type: 'start', ...msg });
    });
  }

  /** Sets ctx.cancelled() of the task; a stop for a task still waiting for the host is kept for it. */
  abort(taskId: number, reason: string): void {
    if (this.#starting?.taskId === taskId) this.#starting.abortReason ??= reason;
    else if (this.#current?.taskId === taskId) this.#send({ type: 'abort', taskId, reason });
  }

  shutdown(): void {
    this.#send({ type: 'shutdown' });
    this.#toHost?.end();
  }

  #send(msg: object): void {
    if (this.#toHost && !this.#toHost.destroyed && this.#toHost.writable) this.#toHost.write(JSON.stringify(msg) + '\n');
  }

  #onMessage(m: FromPyHost): void {
    const cur = this.#current;
    if (!cur || !('taskId' in m) || m.taskId !== cur.taskId) return;
    switch (m.type) {
      case 'progress':
        cur.hooks.onProgress(m.fraction, m.message);
        cur.hooks.onActivity();
        break;
      case 'heartbeat':
        cur.hooks.onActivity();
        break;
      case 'log': {
        const bytes = Buffer.from(m.text);
        cur.hooks.output.push(bytes, m.stream);
        cur.hooks.onActivity(m.stream === 'stdout' ? bytes.length : 0);
        break;
      }
      case 'result':
        this.#current = null;
        this.#idle = m.usage.idle;
        cur.resolve({ ok: true, value: m.value, bytes: m.bytes, usage: m.usage, ...('repr' in m && m.repr ? { repr: m.repr } : {}) });
        break;
      case 'error':
        this.#current = null;
        this.#idle = m.usage.idle;
        cur.resolve({ ok: false, error: m.error, usage: m.usage, hostExit: null });
        break;
    }
  }
}
