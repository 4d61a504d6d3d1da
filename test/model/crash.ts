import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { processesWithEnv } from '../../main/core/monitor/platform/procfs.js';
import { waitFor } from '../support/wait.js';

const cliBin = resolve(__dirname, '../../bin/corral.cjs');

/** Live processes (not zombies) that carry the run's marker in their environment. */
export const markedProcesses = (entry: string): number[] => (processesWithEnv([entry]).get(entry) ?? []).map((p) => p.pid);

/**
 * A supervisor that dies: `corral run --resume` on the joblog in a child process, SIGKILLed after
 * `afterMs`. Its orphan reaper must then end every task it had started. Resolves with the marked
 * processes still alive once the reaper had its time (empty when it did its job).
 */
export async function crashedRun(opts: { jobFile: string; joblog: string; stateDir: string; marker: string; afterMs: number }): Promise<number[]> {
  const child = spawn(process.execPath, [cliBin, 'run', opts.jobFile, '--joblog', opts.joblog, '--resume', '--tick', '250ms'], {
    env: { ...process.env, CORRAL_STATE_DIR: join(opts.stateDir, 'cli') },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await Promise.race([exited, new Promise((r) => setTimeout(r, opts.afterMs))]);
  child.kill('SIGKILL');
  await exited;
  // The reaper notices the closed pipe and kills every group it was told about, TERM then KILL.
  return waitFor('the reaper to end the crashed run\'s tasks', () => markedProcesses(opts.marker).length === 0, 20_000).then(
    () => [],
    () => markedProcesses(opts.marker),
  );
}
