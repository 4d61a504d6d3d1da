// The default runner against a real /bin/sh: a login shell that prints, and one whose rc hangs.
// Outcomes only: the hang must end in 'timeout' and leave no process behind.
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loginShellPath } from '../../../../main/core/platform/loginShellPath.js';

const posix = process.platform !== 'win32';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.runIf(posix)('loginShellPath with a real shell', () => {
  it('reads PATH from /bin/sh started as a login shell', async () => {
    const r = await loginShellPath({
      platform: 'linux',
      env: { PATH: '/usr/bin:/bin', SHELL: '/bin/sh', HOME: mkdtempSync(join(tmpdir(), 'corral-home-')) },
      timeoutMs: 30_000,
    });
    expect(r.outcome).toBe('merged');
    expect(r.env.PATH?.split(':')).toEqual(expect.arrayContaining(['/usr/bin', '/bin']));
  });

  it('kills a shell whose rc file hangs, with its children, and keeps the old PATH', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corral-shell-'));
    const pidFile = join(dir, 'sleep.pid');
    // A "shell" that starts a child, records its pid, then waits forever.
    const shell = join(dir, 'hangsh');
    writeFileSync(shell, `#!/bin/sh\nsleep 600 &\necho $! > '${pidFile}'\nwait\n`);
    chmodSync(shell, 0o755);
    const env = { PATH: '/usr/bin:/bin', SHELL: shell };
    const r = await loginShellPath({ platform: 'linux', env, timeoutMs: 3_000 });
    expect(r.outcome).toBe('timeout');
    expect(r.env).toBe(env);
    expect(existsSync(pidFile), 'the hanging shell never got to start its child').toBe(true);
    const sleepPid = Number(readFileSync(pidFile, 'utf8'));
    const deadline = Date.now() + 20_000;
    while (alive(sleepPid) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
    expect(alive(sleepPid)).toBe(false);
  });
});
