import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The ring's size: the host writes to fd 4 before it holds 64 KiB, and a larger message goes there directly. */
const RING_BYTES = (1 << 17) + 8;
let rings = 0;

/**
 * A file a Python host shares as its fd 5 (workers/pyhost/corral_outbox.py): it copies each message
 * there, then writes them to fd 4 in batches. What a host holds is read from here when it died
 * before writing it, or when it stays silent while it has tasks (stuck in C code that holds the
 * GIL, its flusher thread cannot run): a task's begin is never missed, so its timeout runs.
 *
 * Header: 8 bytes little-endian, (first message's number mod 2^32 << 32) | bytes used; then the
 * messages, one JSON line each. Messages are numbered in the order the host sent them, on fd 4 and
 * here alike, so each is handed on once, whichever way it came first.
 */
export class MessageRing {
  /** Messages below this number were handed on */
  #next = 0;
  /** Messages read on fd 4: the number of the next one there */
  #onPipe = 0;

  private constructor(readonly fd: number) {}

  /** A fresh ring, unlinked at once (nothing is left behind, whoever dies); null on Windows or if no temporary folder takes it. */
  static open(): MessageRing | null {
    if (process.platform === 'win32') return null;
    for (const dir of ['/dev/shm', tmpdir()]) {
      let fd: number;
      try {
        const path = join(dir, `corral-pyhost-${process.pid}-${++rings}`);
        fd = openSync(path, 'wx+', 0o600);
        unlinkSync(path);
      } catch {
        continue;
      }
      try {
        // Written, not just sized: a full tmpfs fails here, not as SIGBUS in the host when it first writes a page.
        writeSync(fd, Buffer.alloc(RING_BYTES), 0, RING_BYTES, 0);
        return new MessageRing(fd);
      } catch {
        closeSync(fd);
      }
    }
    return null;
  }

  /** A message read on fd 4: false if it was taken from the ring already. */
  fromPipe(): boolean {
    const n = this.#onPipe++;
    if (n < this.#next) return false;
    this.#next = n + 1;
    return true;
  }

  /**
   * The messages the ring holds that were not handed on; they count as handed on now. `live`: the
   * host may be writing (it is running): nothing if it flushed meanwhile, or if messages before
   * the ring's are still on their way through fd 4 (they must be handed on first).
   */
  take(live: boolean): unknown[] {
    const head = this.#header();
    if (!head || head.used === 0) return [];
    const body = Buffer.alloc(head.used);
    const text = body.subarray(0, readSync(this.fd, body, 0, head.used, 8)).toString('utf8');
    if (live) {
      const again = this.#header();
      if (!again || again.first !== head.first || head.first > this.#next) return [];
    }
    const lines = text.split('\n');
    lines.pop(); // after the last newline: empty, or a line the host did not finish
    const out: unknown[] = [];
    for (let i = 0; i < lines.length; i++) {
      const n = head.first + i;
      if (n < this.#next) continue;
      try {
        out.push(JSON.parse(lines[i]));
      } catch {
        break; // caught mid-write
      }
      this.#next = n + 1;
    }
    return out;
  }

  close(): void {
    closeSync(this.fd);
  }

  #header(): { first: number; used: number } | null {
    const head = Buffer.alloc(8);
    if (readSync(this.fd, head, 0, 8, 0) < 8) return null;
    const used = head.readUInt32LE(0);
    if (used > RING_BYTES - 8) return null;
    // The host's 32-bit number, placed next to ours (a host may send more than 2^32 messages).
    const first = this.#next + ((head.readUInt32LE(4) - (this.#next >>> 0)) | 0);
    return { first, used };
  }
}
