// The spawn helper's wire format (workers/spawner ↔ main/core/run/spawnHelper.ts).
// Supervisor → helper: one JSON request per line (spawn, release). Helper → supervisor: frames of
// [kind u8][task id u32][length u32][payload], written once per event-loop turn so a burst of
// spawns, outputs and exits costs one write and one wake-up, not one per event.
import { Buffer } from 'node:buffer';

export type SpawnRequest =
  | { op: 'spawn'; id: number; file: string; args: string[]; cwd: string; env: NodeJS.ProcessEnv }
  /** Stop reading a task's pipes (a process Corral left running still holds them) */
  | { op: 'release'; id: number };

export const FRAME = {
  /** JSON SpawnedInfo */
  spawned: 1,
  stdout: 2,
  stderr: 3,
  /** JSON ExitInfo: the main process ended */
  exit: 4,
  /** Both pipes reached their end (no payload) */
  closed: 5,
} as const;

export interface SpawnedInfo {
  pid?: number;
  /** Read by the helper before it could reap the child: the pid-reuse guard of every later signal */
  startTime?: string;
  /** errno code and message when the process never ran (ENOENT, EACCES…) */
  error?: { code?: string; message: string };
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const HEADER = 9;

export function encodeFrame(kind: number, id: number, payload: Buffer | string = Buffer.alloc(0)): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.allocUnsafe(HEADER);
  header.writeUInt8(kind, 0);
  header.writeUInt32LE(id, 1);
  header.writeUInt32LE(body.length, 5);
  return Buffer.concat([header, body]);
}

/** Splits a byte stream into frames; keeps a partial frame until the rest arrives. */
export function frameReader(onFrame: (kind: number, id: number, payload: Buffer) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    let buf = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let at = 0;
    while (buf.length - at >= HEADER) {
      const len = buf.readUInt32LE(at + 5);
      if (buf.length - at < HEADER + len) break;
      onFrame(buf.readUInt8(at), buf.readUInt32LE(at + 1), buf.subarray(at + HEADER, at + HEADER + len));
      at += HEADER + len;
    }
    buf = buf.subarray(at);
    // Copy the tail so one small leftover does not pin a large chunk.
    pending = buf.length ? Buffer.from(buf) : Buffer.alloc(0);
  };
}
