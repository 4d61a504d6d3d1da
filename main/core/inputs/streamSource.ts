// Inputs from a stream (stdin) as they arrive: each chunk is appended to a temporary file and its
// complete lines are indexed (8 bytes for where a line starts, 4 for its length), so `length`
// grows while the stream is read and dispatch can start at the first line. No line is held as a
// string: get() reads it back with one pread, as fileSource does, so memory does not grow with
// the stream's length (the index does, by 12 bytes per input).
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBytes } from '../job/bytes.js';
import { checkIndex, type InputSource } from './source.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export interface StreamSource extends InputSource {
  /** Resolves when the stream has ended (or failed: then `error` says why) */
  readonly ended: Promise<void>;
  readonly error: Error | null;
}

/** `separator` 10 splits at newlines (a "\r" before one is dropped), 0 at NUL bytes (-0). */
export function streamSource(stream: NodeJS.ReadableStream, separator: 10 | 0 = 10): StreamSource {
  const dir = mkdtempSync(join(tmpdir(), 'corral-stdin-'));
  const fd = openSync(join(dir, 'inputs'), 'w+');
  let starts = new Float64Array(1024);
  let lengths = new Uint32Array(1024);
  let count = 0;
  let written = 0;
  let lineStart = 0;
  let prev = -1; // the byte before the current chunk
  let complete = false;
  let open = true;
  let error: Error | null = null;
  const listeners: (() => void)[] = [];
  const notify = () => {
    for (const l of listeners) l();
  };
  const add = (start: number, end: number, before: number) => {
    const len = end - start - (separator === 10 && end > start && before === 13 ? 1 : 0);
    if (len <= 0) return; // empty lines are skipped, as in an inputs file
    if (count === lengths.length) {
      const s = new Float64Array(count * 2);
      s.set(starts);
      starts = s;
      const l = new Uint32Array(count * 2);
      l.set(lengths);
      lengths = l;
    }
    starts[count] = start;
    lengths[count] = len;
    count++;
  };
  const onData = (data: Buffer | string) => {
    const chunk = typeof data === 'string' ? Buffer.from(data) : data;
    if (!open) return;
    if (written === 0 && chunk.subarray(0, 3).equals(BOM)) {
      lineStart = 3;
    }
    for (let done = 0; done < chunk.length; ) done += writeSync(fd, chunk, done, chunk.length - done, written + done);
    const before = count;
    for (let from = 0; ; ) {
      const at = chunk.indexOf(separator, from);
      if (at < 0) break;
      add(lineStart, written + at, at > 0 ? chunk[at - 1] : prev);
      lineStart = written + at + 1;
      from = at + 1;
    }
    prev = chunk.length ? chunk[chunk.length - 1] : prev;
    written += chunk.length;
    if (count > before) notify();
  };
  const ended = new Promise<void>((resolve) => {
    const finish = (err: Error | null) => {
      if (complete) return;
      if (!err) add(lineStart, written, prev);
      error = err;
      complete = true;
      notify();
      resolve();
    };
    stream.on('data', onData);
    stream.once('end', () => finish(null));
    stream.once('error', (err: Error) => finish(err));
  });
  return {
    kind: 'file',
    get length() {
      return count;
    },
    get complete() {
      return complete;
    },
    get error() {
      return error;
    },
    ended,
    get(i) {
      checkIndex(i, count);
      if (!open) throw new Error('the stdin inputs are closed');
      const bytes = Buffer.allocUnsafe(lengths[i]);
      readSync(fd, bytes, 0, bytes.length, starts[i]);
      return decodeBytes(bytes);
    },
    onChange(listener) {
      listeners.push(listener);
    },
    close() {
      if (!open) return;
      open = false;
      stream.removeListener('data', onData);
      stream.pause(); // a job stopped early does not read the rest of stdin
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
