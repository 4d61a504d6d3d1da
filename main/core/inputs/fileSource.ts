import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { decodeBytes } from '../job/bytes.js';
import { checkIndex, type InputSource } from './source.js';

// An inputs file is never held as strings: one pass records where each non-empty line starts
// (4 bytes per line in a Uint32Array, 8 in a Float64Array for files over 4 GiB) and its length
// (a Uint32Array); a line is read back with one pread when its task is dispatched. Lines end at
// "\n" or "\r\n" (docs/job-file.md); empty lines are skipped; a leading UTF-8 BOM is dropped; every
// other byte is kept exactly and decoded with decodeBytes (bytes that are not UTF-8 survive).

const CHUNK = 1 << 20;
const BOM = [0xef, 0xbb, 0xbf];

type Offsets = Uint32Array | Float64Array;

class LineIndex {
  starts: Offsets;
  lengths = new Uint32Array(1024);
  count = 0;

  constructor(big: boolean) {
    this.starts = big ? new Float64Array(1024) : new Uint32Array(1024);
  }

  add(start: number, length: number): void {
    if (this.count === this.lengths.length) {
      const starts = new (this.starts.constructor as new (n: number) => Offsets)(this.count * 2);
      starts.set(this.starts);
      this.starts = starts;
      const lengths = new Uint32Array(this.count * 2);
      lengths.set(this.lengths);
      this.lengths = lengths;
    }
    this.starts[this.count] = start;
    this.lengths[this.count] = length;
    this.count++;
  }

  /** Trims the growth slack once the file is indexed. */
  seal(): void {
    this.starts = this.starts.slice(0, this.count);
    this.lengths = this.lengths.slice(0, this.count);
  }
}

/** Scans the file once in 1 MiB chunks; throws the fs error (the caller words it for users). */
function indexLines(fd: number, size: number, sep: number): LineIndex {
  const index = new LineIndex(size > 0xffff_ffff);
  const buf = Buffer.allocUnsafe(CHUNK);
  let lineStart = 0;
  let pos = 0;
  let prev = -1; // the byte before buf[0] (the last of the previous chunk)
  // A line [start, end) loses the "\r" of a "\r\n"; an empty line is skipped.
  const add = (start: number, end: number, before: number) => {
    const len = end - start - (sep === 10 && end > start && before === 13 ? 1 : 0);
    if (len > 0) index.add(start, len);
  };
  for (;;) {
    const n = readSync(fd, buf, 0, CHUNK, pos);
    if (n === 0) break;
    if (pos === 0 && n >= 3 && BOM.every((b, i) => buf[i] === b)) lineStart = 3;
    let from = 0;
    for (;;) {
      const nl = buf.indexOf(sep, from);
      if (nl < 0 || nl >= n) break;
      add(lineStart, pos + nl, nl > 0 ? buf[nl - 1] : prev);
      lineStart = pos + nl + 1;
      from = nl + 1;
    }
    prev = buf[n - 1];
    pos += n;
  }
  add(lineStart, pos, prev);
  index.seal();
  return index;
}

/**
 * The lines of an inputs file, read on demand. The file must not change while the job runs.
 * `separator` 0 splits at NUL bytes instead (parallel's -0), and keeps every "\r".
 */
export function fileSource(path: string, separator: 10 | 0 = 10): InputSource {
  const fd = openSync(path, 'r');
  let index: LineIndex;
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    index = indexLines(fd, st.size, separator);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  let open = true;
  return {
    kind: 'file',
    length: index.count,
    complete: true,
    get(i) {
      checkIndex(i, index.count);
      if (!open) throw new Error('the inputs file is closed');
      const bytes = Buffer.allocUnsafe(index.lengths[i]);
      readSync(fd, bytes, 0, bytes.length, index.starts[i]);
      return decodeBytes(bytes);
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}
