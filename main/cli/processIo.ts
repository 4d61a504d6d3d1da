import type { RunIo } from './run.js';
import type { StopCause } from './exitCode.js';
import { INTERNAL_ERROR_EXIT } from './exitCode.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** One line for a bug's error; the stack only when CORRAL_DEBUG is set. */
export function internalErrorLine(err: unknown, debug = Boolean(process.env.CORRAL_DEBUG)): string {
  const text = err instanceof Error ? (debug ? (err.stack ?? err.message) : err.message) : String(err);
  return `corral: internal error: ${debug ? text : text.split('\n')[0]}\n`;
}

/**
 * The real process as RunIo. stdout and stderr always have an 'error' listener: a reader that
 * went away (EPIPE, or EIO after a hangup) is a stop cause, never an unhandled 'error' event.
 * Unhandled rejections and exceptions end the process with one line, not a stack trace.
 */
export function processIo(): RunIo {
  const listeners = new Set<(cause: StopCause) => void>();
  let stdoutClosed = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (stdoutClosed) return;
    stdoutClosed = true;
    // A reader that left (EPIPE) is normal in a pipeline; anything else (ENOSPC…) deserves a line.
    if (err.code !== 'EPIPE') process.stderr.write(`corral: cannot write to stdout (${err.code ?? err.message}); stopping running tasks gracefully\n`);
    for (const cb of listeners) cb('stdout-closed');
  });
  process.stderr.on('error', () => {}); // nowhere left to report it
  const crash = (err: unknown) => {
    process.stderr.write(internalErrorLine(err));
    process.exit(INTERNAL_ERROR_EXIT);
  };
  process.on('unhandledRejection', crash);
  process.on('uncaughtException', crash);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    onInterrupt(cb) {
      // Registered only while a job runs: before that, a signal ends the process as usual.
      const handlers = SIGNALS.map((sig) => [sig, () => cb(sig)] as const);
      for (const [sig, h] of handlers) process.on(sig, h);
      listeners.add(cb);
      if (stdoutClosed) queueMicrotask(() => cb('stdout-closed'));
      return () => {
        for (const [sig, h] of handlers) process.off(sig, h);
        listeners.delete(cb);
      };
    },
  };
}
