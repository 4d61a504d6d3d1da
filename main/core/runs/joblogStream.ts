import { createReadStream } from 'node:fs';
import { parseJoblog, type JoblogRow } from '../log/joblog.js';

// A joblog may hold 10 M rows, longer than any V8 string: read it as bytes, a line at a time,
// and remember where every INDEX_STEP-th row starts so a later page need not read from the top.

const INDEX_STEP = 4096;

interface RowIndex {
  /** File size when indexed: a joblog only grows (O_APPEND), so the offsets hold while it is not smaller */
  size: number;
  /** offsets[k] = byte offset of data row k * INDEX_STEP */
  offsets: number[];
}
const indexes = new Map<string, RowIndex>();

/** Parses one line the way the joblog reader does (header, torn and foreign lines give null) */
function rowOf(line: string): JoblogRow | null {
  return parseJoblog(line)[0] ?? null;
}

/**
 * Calls `each` for the data rows from row `from` on (0-based, header excluded) until it returns
 * false or the file ends. Non-UTF-8 bytes read as U+FFFD; nothing is held but the current chunk.
 */
export async function streamRows(
  path: string,
  each: (row: JoblogRow, index: number) => boolean | void,
  opts: { from?: number; size?: number } = {},
): Promise<void> {
  const from = opts.from ?? 0;
  const cached = indexes.get(path);
  const usable = cached && opts.size !== undefined && cached.size <= opts.size ? cached : null;
  const k = usable ? Math.min(Math.floor(from / INDEX_STEP), usable.offsets.length - 1) : -1;
  let offset = k >= 0 ? usable!.offsets[k] : 0;
  let index = k >= 0 ? k * INDEX_STEP : 0;
  const record: RowIndex = usable ?? { size: opts.size ?? 0, offsets: [] };
  let carry: Buffer | null = null;
  let stop = false;
  const stream = createReadStream(path, { start: offset, highWaterMark: 256 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
      let start = 0;
      for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
        const row = rowOf(buf.toString('utf8', start, nl));
        const rowStart = offset + start;
        start = nl + 1;
        if (!row) continue;
        if (index % INDEX_STEP === 0 && opts.size !== undefined) record.offsets[index / INDEX_STEP] = rowStart;
        if (index >= from && each(row, index) === false) {
          stop = true;
          break;
        }
        index++;
      }
      if (stop) break;
      offset += start;
      buf = buf.subarray(start);
      carry = buf.length ? Buffer.from(buf) : null;
    }
    // A last line without its newline is a row being written: GNU parallel's readers skip it too.
  } finally {
    stream.destroy();
  }
  if (opts.size !== undefined && record.offsets.length) {
    record.size = Math.max(record.size, opts.size);
    indexes.set(path, record);
  }
}

export function forgetIndex(path: string): void {
  indexes.delete(path);
}
