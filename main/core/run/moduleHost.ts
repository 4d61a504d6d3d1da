import { fork, type ChildProcess } from 'node:child_process';
import type { FromHost, ToHost } from './hostMessages.js';
import { withoutElectronEnv } from './taskEnv.js';
import { describeExit, TaskHost } from './taskHost.js';

export { describeExit, type ModuleAttemptEnd, type TaskHooks } from './taskHost.js';

export interface HostOptions {
  script: string;
  execPath?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * One reused Node host process per slot (workers/host). A host that dies fails only its begun
 * task (with the exit code or signal); its prefetched tasks go back to the queue.
 */
export class ModuleHost extends TaskHost {
  readonly child: ChildProcess;

  constructor(opts: HostOptions) {
    super();
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
    this.child.stdout?.on('data', (c: Buffer) => this.onOutput(c, 'stdout'));
    this.child.stderr?.on('data', (c: Buffer) => this.onOutput(c, 'stderr'));
    this.child.on('message', (batch: FromHost[] | FromHost) => {
      for (const m of Array.isArray(batch) ? batch : [batch]) {
        if (m.type === 'ready') this.onReady(m.idle);
        else this.onMessage(m);
      }
    });
    // A host that could not be forked has no exit to wait for.
    this.child.once('error', (err) => {
      if (this.child.pid === undefined && this.alive) this.onExit({ code: null, signal: null }, { name: 'HostFailed', message: `module host failed to start: ${err.message}`, byHost: true });
    });
    this.child.once('exit', (code, signal) => {
      if (this.alive) this.onExit({ code, signal }, { name: 'HostExited', message: describeExit(code, signal) });
    });
  }

  get pid(): number | null {
    return this.child.pid ?? null;
  }

  protected write(batch: ToHost[]): void {
    if (this.child.connected) this.child.send(batch, (err) => err && undefined);
  }
}
