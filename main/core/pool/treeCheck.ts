/** True while any process of the group or any pid seen in the tree still exists (POSIX). */
export function treeAlive(pid: number | null, pgid: number | null, extraPids: readonly number[]): boolean {
  const exists = (target: number): boolean => {
    try {
      process.kill(target, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  };
  if (process.platform !== 'win32' && pgid !== null && pgid > 0 && exists(-pgid)) return true;
  if (pid !== null && process.platform === 'win32' && exists(pid)) return true;
  return extraPids.some((p) => p !== pid && exists(p));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
