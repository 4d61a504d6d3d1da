// The spawn helper's wire format (workers/spawner ↔ main/core/run/spawnHelper.ts).
// Supervisor → helper: one JSON request per line (spawn, release). Helper → supervisor: frames of
// [kind u8][task id u32][length u32][payload], written once per event-loop turn so a burst of
// spawns, outputs and exits costs one write and one wake-up, not one per event.
import { Buffer } from 'node:buffer';

export type SpawnRequest =
  /** A base environment; later spawns name it and send only what differs (a full env per task was 12 % of the supervisor's CPU) */
  | { op: 'env'; id: number; env: NodeJS.ProcessEnv }
  /** env: changes to base `envBase` (null: unset) */
  | { op: 'spawn'; id: number; file: string; args: string[]; cwd: string; envBase: number; env: Record<string, string | null> }
  /** Stop reading a task's pipes (a process Corral left running still holds them) */
  | { op: 'release'; id: number }
  /** Liveness: answered by a pong frame with the same id from the helper's event loop */
  | { op: 'ping'; id: number };

export const FRAME = {
  /** JSON SpawnedInfo */
  spawned: 1,
  stdout: 2,
  stderr: 3,
  /** JSON ExitInfo: the main process ended */
  exit: 4,
  /** Both pipes reached their end (no payload) */
  closed: 5,
  /** The answer to a ping (id: the ping's) */
  pong: 6,
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

/**
 * Splits a byte stream into frames. Chunks of a partial frame are only joined once the whole frame
 * has arrived, so a large frame read in many small pieces costs one copy, not one per piece.
 */
export function frameReader(onFrame: (kind: number, id: number, payload: Buffer) => void): (chunk: Buffer) => void {
  let chunks: Buffer[] = [];
  let total = 0;
  return (chunk) => {
    chunks.push(chunk);
    total += chunk.length;
    if (total < HEADER) return;
    if (chunks[0].length < HEADER) chunks = [Buffer.concat(chunks, total)];
    if (total < HEADER + chunks[0].readUInt32LE(5)) return;
    const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
    let at = 0;
    while (buf.length - at >= HEADER) {
      const len = buf.readUInt32LE(at + 5);
      if (buf.length - at < HEADER + len) break;
      onFrame(buf.readUInt8(at), buf.readUInt32LE(at + 1), buf.subarray(at + HEADER, at + HEADER + len));
      at += HEADER + len;
    }
    // Copy the tail so one small leftover does not pin a large chunk.
    chunks = at < buf.length ? [Buffer.from(buf.subarray(at))] : [];
    total = buf.length - at;
  };
}

/** At most this many changed keys go as a delta; more make a new base. */
const MAX_DELTA = 8;

/** The sending side of the env bases: returns the base id and delta for `env`, sending a new base when needed. */
export function envDeltas(sendBase: (id: number, env: NodeJS.ProcessEnv) => void): (env: NodeJS.ProcessEnv) => { envBase: number; env: Record<string, string | null> } {
  let base: NodeJS.ProcessEnv | null = null;
  let baseId = 0;
  return (env) => {
    if (base) {
      const delta: Record<string, string | null> = {};
      let n = 0;
      for (const k in env) if (env[k] !== base[k] && ++n <= MAX_DELTA) delta[k] = env[k] ?? null;
      for (const k in base) if (!(k in env) && ++n <= MAX_DELTA) delta[k] = null;
      if (n <= MAX_DELTA) return { envBase: baseId, env: delta };
    }
    base = { ...env };
    sendBase(++baseId, base);
    return { envBase: baseId, env: {} };
  };
}

/** The receiving side: the task's environment from its base and delta. */
export function applyEnvDelta(base: NodeJS.ProcessEnv, delta: Record<string, string | null>): NodeJS.ProcessEnv {
  const env = { ...base };
  for (const k in delta) {
    const v = delta[k];
    if (v === null) delete env[k];
    else env[k] = v;
  }
  return env;
}
