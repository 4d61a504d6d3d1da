import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { processStartTime, signalTree } from '../../../main/core/stop/index.js';
import { killAllSpawned, spawnGroup, trackPid, waitFor } from './helpers.js';

// A pid from the last tick may belong to someone else by the time the kill path uses it: the kernel's
// next-pid counter (ns_last_pid, root only) is moved so an unrelated `setsid` process gets a dead task pid.
afterEach(killAllSpawned);

/** Logs every TERM it gets; WINCH (a higher number, so delivered after any pending TERM) ends the log. */
const WITNESS = [
  '-c',
  "import os,signal,time\nsignal.signal(signal.SIGTERM, lambda *a: print('TERM', flush=True))\nsignal.signal(signal.SIGWINCH, lambda *a: print('WINCH', flush=True))\nos.setsid()\nprint('ready', flush=True)\ntime.sleep(300)\n",
];

async function reusePid(pid: number) {
  for (let attempt = 0; attempt < 50; attempt++) {
    writeFileSync('/proc/sys/kernel/ns_last_pid', String(pid - 1));
    const w = spawn('python3', WITNESS, { stdio: ['ignore', 'pipe', 'inherit'] });
    trackPid(w.pid!);
    let out = '';
    w.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor('the witness to be ready', () => out.includes('ready'));
    if (w.pid === pid) return { pid, log: () => out.split('\n').filter(Boolean) };
    w.kill('SIGKILL'); // another process took the pid first: try again
  }
  throw new Error(`pid ${pid} could not be reused`);
}

const canMovePidCounter = process.platform === 'linux' && process.getuid?.() === 0;

describe.runIf(canMovePidCounter)('the kill path against reused pids', () => {
  it('sends nothing to a dead task process whose pid (and group id) now belongs to an unrelated session leader', async () => {
    const task = spawnGroup('sh', ['-c', 'echo ready; exec sleep 300']);
    await task.firstLine;
    const recorded = { pid: task.pid, startTime: processStartTime(task.pid) };
    // Start times count clock ticks (10 ms): a pid reused within the same tick cannot be told apart.
    const ticksNow = () => Math.floor(Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 100);
    await waitFor('a clock tick after the task started', () => ticksNow() > Number(recorded.startTime) + 1);
    const exited = new Promise((r) => task.child.once('exit', r));
    process.kill(task.pid, 'SIGKILL');
    await exited;
    const witness = await reusePid(task.pid);
    // The task's group id is its dead leader's pid, which now leads the witness's own session and group.
    await signalTree({ pgid: task.pgid, known: [recorded] }, 'TERM');
    await signalTree({ pgid: null, known: [recorded] }, 'TERM');
    process.kill(witness.pid, 'SIGWINCH');
    await waitFor('the witness to log WINCH', () => witness.log().includes('WINCH'));
    expect(witness.log()).toEqual(['ready', 'WINCH']);
  });
});
