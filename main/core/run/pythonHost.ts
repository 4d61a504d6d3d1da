import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { FromHost, PlainError, ToHost } from './hostMessages.js';
import { describeExit, TaskHost, type ModuleAttemptEnd } from './taskHost.js';

/** What a Python task's end adds to a module task's: repr is set when the result was not JSON and crossed as its repr(). */
export type PythonAttemptEnd = ModuleAttemptEnd;

/** Host → supervisor: the Node host's messages, plus the function failing to load (the host then exits). */
type FromPyHost = FromHost | { type: 'loadError'; stage: 'import' | 'init'; error: PlainError };

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

/** Messages written after the host exited are still read (a load error, a result just before a kill), this long at most. */
const LAST_WORDS_MS = 1000;

/**
 * One reused Python host per slot (workers/pyhost/corral_host.py), the counterpart of ModuleHost:
 * JSON lines on fd 3 (to the host) and fd 4 (from it), since the host captures fd 1/2 per task.
 * A line holds one message or an array of them (a batch).
 */
export class PythonHost extends TaskHost {
  readonly child: ChildProcess;
  #loadError: PlainError | null = null;
  readonly #toHost: Writable | null;

  constructor(opts: PythonHostOptions) {
    super();
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
    this.child.stdout?.on('data', (c: Buffer) => this.onOutput(c, 'stdout'));
    this.child.stderr?.on('data', (c: Buffer) => this.onOutput(c, 'stderr'));
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
    let buf = '';
    fromHost?.setEncoding('utf8');
    fromHost?.on('data', (chunk: string) => {
      buf += chunk;
      // One pass over the chunk: slicing the rest off after every line would copy it once per line.
      let from = 0;
      for (let nl = buf.indexOf('\n'); nl >= 0; from = nl + 1, nl = buf.indexOf('\n', from)) {
        const line = buf.slice(from, nl);
        let batch: FromPyHost | FromPyHost[];
        try {
          batch = JSON.parse(line) as FromPyHost | FromPyHost[];
        } catch {
          continue; // not the host's (user code wrote to fd 4): no message
        }
        if (!Array.isArray(batch)) this.#onPyMessage(batch, opts);
        else for (const m of batch) this.#onPyMessage(m, opts);
      }
      buf = buf.slice(from);
    });
    this.child.once('error', (err) => {
      if (this.child.pid === undefined && this.alive) this.onExit({ code: null, signal: null }, { name: 'HostFailed', message: `python host failed to start: ${err.message}`, byHost: true });
    });
    this.child.once('exit', (code, signal) => {
      const finish = () => {
        clearTimeout(timer);
        onClosed = null;
        if (this.alive) this.onExit({ code, signal }, this.#loadError ?? { name: 'HostExited', message: describeExit(code, signal) });
      };
      const timer = setTimeout(finish, closed ? 0 : LAST_WORDS_MS);
      onClosed = finish;
    });
  }

  get pid(): number | null {
    return this.child.pid ?? null;
  }

  override shutdown(): void {
    super.shutdown();
    this.#toHost?.end();
  }

  protected write(batch: ToHost[]): void {
    if (this.#toHost && !this.#toHost.destroyed && this.#toHost.writable) this.#toHost.write(JSON.stringify(batch) + '\n');
  }

  #onPyMessage(m: FromPyHost, opts: PythonHostOptions): void {
    if (m.type === 'ready') this.onReady(m.idle);
    else if (m.type === 'loadError') {
      const e = m.error;
      const what = m.stage === 'init' ? `init ${opts.init}() failed` : `loading ${opts.target} failed`;
      // The function did not load: its own error (with the import's traceback) is the task's.
      this.#loadError = { ...e, message: `${what}: ${e.name}: ${e.message}`, byHost: true };
    } else this.onMessage(m);
  }
}
