import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { readProcStat } from '../../../../main/core/monitor/platform/procfs.js';
import { inspectTree, probeProcess, processStartTime, sameProcess } from '../../../../main/core/stop/index.js';
import { waitFor } from '../../../support/wait.js';

const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

/**
 * A parent that never reaps: its child makes itself a group leader and exits, so pid, group and a
 * zombie stay behind while the parent lives — what a PID 1 that reaps late leaves in a container.
 */
async function zombieGroup(): Promise<{ parent: number; zombie: number }> {
  const code = 'import os,sys,time\npid=os.fork()\nif pid==0:\n  os.setpgid(0,0)\n  os._exit(0)\nprint(pid,flush=True)\ntime.sleep(120)\n';
  const p = spawn('python3', ['-c', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(p.pid!);
  const zombie = await new Promise<number>((resolve) => p.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  await waitFor('the child to be a zombie', () => readProcStat(zombie)?.state === 'Z');
  return { parent: p.pid!, zombie };
}

describe.runIf(process.platform === 'linux')('the one liveness probe', () => {
  it('sees this process with a stable start time', () => {
    const a = probeProcess(process.pid);
    expect(a).toMatchObject({ alive: true, startTime: expect.stringMatching(/^\d+$/) });
    expect(processStartTime(process.pid)).toBe(a.startTime);
  });

  it('says a zombie is gone, and a group of nothing but a zombie is gone, though kill(-pgid, 0) succeeds', async () => {
    const { zombie } = await zombieGroup();
    expect(() => process.kill(-zombie, 0)).not.toThrow(); // the old check: "alive"
    expect(probeProcess(zombie)).toEqual({ alive: false });
    const view = inspectTree({ pgid: zombie, known: [{ pid: zombie, startTime: readProcStat(zombie)!.startTime }] });
    expect(view.live).toEqual([]);
  });
});

describe('probeProcess and sameProcess', () => {
  it('says a non-pid is not alive', () => {
    expect(probeProcess(0)).toEqual({ alive: false });
    expect(probeProcess(-5)).toEqual({ alive: false });
  });
  it('matches on start time, and cannot disprove an unknown one', () => {
    expect(sameProcess({ alive: true, startTime: 'a' }, 'a')).toBe(true);
    expect(sameProcess({ alive: true, startTime: 'b' }, 'a')).toBe(false);
    expect(sameProcess({ alive: true }, 'a')).toBe(true);
    expect(sameProcess({ alive: false }, undefined)).toBe(false);
  });
});
