import { fork, type ChildProcess } from 'node:child_process';
import type { FromHost, HostIdle, HostUsage, PlainError, ToHost } from './hostMessages.js';
import { OutputBuffer } from './outputBuffer.js';
import { withoutElectronEnv } from './taskEnv.js';

export type ModuleAttemptEnd =
  | { ok: true; value: unknown; bytes: number; usage: HostUsage }
  | { ok: false; error: PlainError; usage?: HostUsage; hostExit: { code: number | null; signal: NodeJS.Signals | null } | null };

export interface HostOptions {
  script: string;
  execPath?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface TaskHooks {
  output: OutputBuffer;
  /** Output, progress or heartbeat; stdoutBytes: the size of a chunk the host wrote to stdout */
  onActivity(stdoutBytes?: number): void;
  onProgress(fraction: number, message?: string): void;
  /** The start is sent: the host's CPU time and RSS before this task (null if it never told them) */
  onStart?(idle: HostIdle | null): void;
}

/**
 * One reused host process per slot. A host that dies fails only its current task (with the
 * exit code or signal), and the slot starts a fresh host for the next one.
 */
export class ModuleHost {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  tasksRun = 0;
  /** Told to the reaper and the ledger (once per host, not per task) */
  registered = false;
  #exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  #current: { taskId: number; hooks: TaskHooks; resolve: (e: ModuleAttemptEnd) => void } | null = null;
  /** A task waiting for the host to be ready, and the stop asked for it meanwhile */
  #starting: { taskId: number; abortReason: string | null } | null = null;
  #idle: HostIdle | null = null;

  constructor(opts: HostOptions) {
    const posix = process.platform !== 'win32';
    this.child = fork(opts.script, [], {
      cwd: opts.cwd,
      // Inside Electron process.execPath is the Electron binary: ELECTRON_RUN_AS_NODE makes it plain Node.
      env: { ...withoutElectronEnv(opts.env), ELECTRON_RUN_AS_NODE: '1' },
      execPath: opts.execPath ?? process.execPath,
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: posix, // own process group, like command tasks: tree kill and tree sampling work the same
      serialization: 'advanced',
      windowsHide: true,
    });
    const onData = (chunk: Buffer, stdout: boolean) => {
      if (this.#current) {
        this.#current.hooks.output.push(chunk, stdout ? 'stdout' : 'stderr');
        this.#current.hooks.onActivity(stdout ? chunk.length : 0);
      }
    };
    this.child.stdout?.on('data', (c: Buffer) => onData(c, true));
    this.child.stderr?.on('data', (c: Buffer) => onData(c, false));
    this.ready = new Promise((resolve, reject) => {
      this.child.once('error', reject);
      this.child.on('message', (m: FromHost) => {
        if (m.type === 'ready') {
          this.#idle = m.idle;
          resolve();
        } else this.#onMessage(m);
      });
      this.child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        reject(new Error(describeExit(code, signal)));
        const cur = this.#current;
        this.#current = null;
        cur?.resolve({
          ok: false,
          error: { name: 'HostExited', message: describeExit(code, signal) },
          hostExit: { code, signal },
        });
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

  async run(msg: Omit<Extract<ToHost, { type: 'start' }>, 'type'>, hooks: TaskHooks): Promise<ModuleAttemptEnd> {
    const starting = { taskId: msg.taskId, abortReason: null as string | null };
    this.#starting = starting;
    try {
      await this.ready;
    } catch (err) {
      return {
        ok: false,
        error: { name: 'HostFailed', message: `module host failed to start: ${(err as Error).message}` },
        hostExit: this.#exit,
      };
    } finally {
      this.#starting = null;
    }
    // Stopped while the host started: the task never runs, and ends the way an aborted one does.
    if (starting.abortReason !== null) return { ok: false, error: { name: 'Error', message: starting.abortReason }, hostExit: null };
    return new Promise((resolve) => {
      this.#current = { taskId: msg.taskId, hooks, resolve };
      this.tasksRun++;
      hooks.onStart?.(this.#idle);
      this.#send({ type: 'start', ...msg });
    });
  }

  /** Aborts ctx.signal of the task; a stop for a task still waiting for the host is kept for it. */
  abort(taskId: number, reason: string): void {
    if (this.#starting?.taskId === taskId) this.#starting.abortReason ??= reason;
    else if (this.#current?.taskId === taskId) this.#send({ type: 'abort', taskId, reason });
  }

  shutdown(): void {
    this.#send({ type: 'shutdown' });
  }

  #send(msg: ToHost): void {
    if (this.child.connected) this.child.send(msg, (err) => err && undefined);
  }

  #onMessage(m: FromHost): void {
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
      case 'log':
        cur.hooks.output.push(Buffer.from(m.text), m.stream);
        cur.hooks.onActivity();
        break;
      case 'result':
        this.#current = null;
        this.#idle = m.usage.idle;
        cur.resolve({ ok: true, value: m.value, bytes: m.bytes, usage: m.usage });
        break;
      case 'error':
        this.#current = null;
        this.#idle = m.usage.idle;
        cur.resolve({ ok: false, error: m.error, usage: m.usage, hostExit: null });
        break;
    }
  }
}

export function describeExit(code: number | null, signal: string | null): string {
  return signal ? `host killed by ${signal}` : `host exited with code ${code}`;
}
