// Messages between the supervisor and a module-task host (workers/host), in one file
// imported by both sides. Everything here is plain data (process.send serialises it).
// Both directions travel in batches: each write is an array of these, in order (one per
// event-loop turn on the supervisor's side; a task's end and the next one's begin on the host's).

export interface PlainError {
  name: string;
  message: string;
  stack?: string;
  code?: string | number;
  /** Raised by the host itself (e.g. a result over the cap), not by user code: shown as the message alone */
  byHost?: true;
}

/** supervisor → host */
export type ToHost =
  /** maxResultBytes: the host refuses a larger serialised result (the job's maxResultSize) */
  | { type: 'start'; taskId: number; input: string; module: string; slot: number; attempt: number; maxResultBytes: number }
  /** Drop these starts if not begun yet; the host answers `recalled` with the ones it dropped */
  | { type: 'recall'; taskIds: number[] }
  | { type: 'abort'; taskId: number; reason: string } // ctx.signal aborts: graceful stop of the task
  | { type: 'shutdown' }; // finish nothing more and exit (also Windows' graceful path)

/** host → supervisor */
export type FromHost =
  | { type: 'ready'; pid: number; idle: HostIdle }
  /** The host calls the task's function now (sent starts wait in the host's queue until then) */
  | { type: 'begin'; taskId: number; idle: HostIdle }
  | { type: 'recalled'; taskIds: number[] }
  | { type: 'progress'; taskId: number; fraction: number; message?: string }
  | { type: 'heartbeat'; taskId: number }
  | { type: 'log'; taskId: number; stream: 'stdout' | 'stderr'; text: string }
  /** bytes: the value's serialised size, what the supervisor's result budget counts */
  | { type: 'result'; taskId: number; value: unknown; bytes: number; usage: HostUsage }
  | { type: 'error'; taskId: number; error: PlainError; usage: HostUsage };

/** The host's own CPU time spent on one task and its RSS at the end: exact even for tasks shorter than a tick. */
export interface HostUsage {
  cpuMs: number;
  rss: number;
  /** The host's state once the task ended: the next task's baseline */
  idle: HostIdle;
}

/**
 * The host's total CPU time (ms) and RSS while it waits for a task. Told when the event loop is
 * free (ready, and with every end), so the next task's baseline never depends on user code
 * yielding: a task that blocks the loop from its first line is still measured.
 */
export interface HostIdle {
  cpuMs: number;
  rss: number;
}

export function toPlainError(err: unknown): PlainError {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return {
      name: err.name,
      message: err.message,
      stack: err.stack,
      ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    };
  }
  return { name: 'Error', message: typeof err === 'string' ? err : safeString(err) };
}

function safeString(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Results cross as plain data: anything that cannot be structured-cloned becomes its JSON form. */
export function toPlainValue(v: unknown): unknown {
  if (v === undefined) return null;
  try {
    return structuredClone(v);
  } catch {
    try {
      return JSON.parse(JSON.stringify(v)) as unknown;
    } catch {
      return String(v);
    }
  }
}
