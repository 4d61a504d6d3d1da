import type { CorralError, ErrorCode } from '../contract/types.js';

/** An expected failure with a code for the transport; anything else becomes INTERNAL. */
export class CorralFailure extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'CorralFailure';
    this.code = code;
    this.details = details;
  }
}

export function toCorralError(err: unknown): CorralError {
  if (err instanceof CorralFailure) {
    return err.details === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, details: structuredSafe(err.details) };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: `internal error: ${message}` };
}

function structuredSafe(v: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(v)) as unknown;
  } catch {
    return String(v);
  }
}

/**
 * Starts work nobody awaits (a kill sequence, a tick, a reply): a failure goes to `report`
 * (a notice, a stderr line), never to an unhandled rejection that ends the process.
 */
export function detach(work: Promise<unknown>, report: (err: Error) => void): void {
  work.then(undefined, (err: unknown) => report(err instanceof Error ? err : new Error(String(err))));
}
