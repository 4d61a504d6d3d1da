import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentMonitor } from '../../../main/core/broker/agentMonitor.js';
import type { JobSpec } from '../../../main/core/job/types.js';
import type { LiveAttempt } from '../../../main/core/pool/task.js';
import { TaskRecord } from '../../../main/core/pool/task.js';

// The agent samples its running tasks' trees with the sampler a local run uses. The sampler keeps a
// key's processes between samples (to follow processes that leave the group), so a key must stay with
// one attempt: keyed by position in the running list, a task that started after another ended took
// over a still-running task's processes, pinned them into its own tree, and its end sent them SIGTERM
// (the broker makespan bench: 1–3 of 60 `sleep` tasks "failed" with signal 15).

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function running(seq: number): TaskRecord {
  const child = spawn('sleep', ['313.7'], { detached: true, stdio: 'ignore' });
  children.push(child);
  const t = new TaskRecord(seq, String(seq), 'sleep 313.7');
  t.live = { pid: child.pid!, pgid: child.pid!, n: 1, ended: false, stopReason: null } as unknown as LiveAttempt;
  return t;
}

describe('the agent monitor', () => {
  it('keeps each attempt on its own sampler key, so a task started later never takes a running task\'s processes', async () => {
    const spec = { memoryLimit: null } as unknown as JobSpec;
    const monitor = new AgentMonitor((err) => {
      throw err;
    });
    try {
      const a = running(1);
      const b = running(2);
      await monitor.tick([{ t: a, spec }, { t: b, spec }]);
      expect(a.info.pids).toEqual([a.live!.pid]);
      expect(b.info.pids).toEqual([b.live!.pid]);
      // a ends; c starts in its place: b is now first in the running list.
      a.live!.ended = true;
      children[0].kill('SIGKILL');
      const c = running(3);
      for (let i = 0; i < 3; i++) {
        await monitor.tick([{ t: b, spec }, { t: c, spec }]);
        expect(c.info.pids).toEqual([c.live!.pid]);
        expect(b.info.pids).toEqual([b.live!.pid]);
      }
    } finally {
      monitor.close();
    }
  });
});
