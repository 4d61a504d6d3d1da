/** One row of the process table, the same shape on every platform. */
export interface ProcRow {
  pid: number;
  ppid: number;
  /** Process group; on Windows (no groups) the pid itself */
  pgid: number;
  /** One letter: R S D T Z I …; '?' where the platform has no state (Windows) */
  state: string;
  /**
   * Opaque, stable per process; compare with === to detect pid reuse. (It happens to be a
   * number in text — clock ticks since boot on Linux, epoch ms elsewhere — which lets
   * resolveTrees order processes; nobody else should rely on that.)
   */
  startTime: string;
  name: string;
  /** User + system CPU time, ms */
  cpuTimeMs?: number;
  /** Resident set, bytes */
  rss?: number;
}

/** A command runner: the injectable seam for `ps`, `powershell`, `getconf`, `taskkill`. */
export type RunCommand = (
  file: string,
  args: string[],
  opts?: { env?: Record<string, string> },
) => Promise<{ stdout: string; stderr?: string; code: number | null }>;
