import type { Tick } from './types.js';

// Frame handling shared by the two socket transports (WebSocket in main/serve, the control
// socket in main/core/control): one parser and one merge rule for clients that fall behind.

/** Reads a client frame `{ id, method, args }`; a string names what is wrong with it. */
export function parseFrame(data: string): { id: number; method: unknown; args: unknown } | string {
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    return 'frame is not valid JSON';
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return 'frame is not an object';
  const f = frame as Record<string, unknown>;
  if (!Number.isSafeInteger(f.id) || (f.id as number) < 0) return 'frame has no integer id';
  return { id: f.id as number, method: f.method, args: f.args };
}

/** Folds a later tick into held-back changes: whole task records, latest wins; the rest is the newest. */
export function mergeTicks(held: Tick | null, next: Tick): Tick {
  if (!held) return next;
  const bySeq = new Map(held.tasks.map((t) => [t.seq, t]));
  for (const t of next.tasks) bySeq.set(t.seq, t);
  return { ...next, tasks: [...bySeq.values()] };
}
