// Inputs are a lazy source: a job of 10 M inputs holds no string per input. An input's text is
// made when its task is dispatched (or a table row shows it) and dropped when the task ends.

/**
 * A job's inputs, by 0-based index. `length` is how many are known now; `complete` is false for
 * a streamed source still being read (stdin, later): the dispatcher then waits instead of ending.
 */
export interface InputSource {
  readonly kind: 'list' | 'range' | 'file' | 'glob';
  readonly length: number;
  readonly complete: boolean;
  /** The input at `index` (0 ≤ index < length), decoded losslessly (see job/bytes.ts). */
  get(index: number): string;
  /** Releases what the source holds open (a file descriptor); get() must not be called after. */
  close(): void;
  /** A streamed source calls `listener` when `length` grew or the stream ended (`complete`). */
  onChange?(listener: () => void): void;
}

/** Number of values from..to by step (step != 0, direction already checked). */
export function rangeCount(from: number, to: number, step: number): number {
  return Math.floor((to - from) / step) + 1;
}

/** from, from+step, … to: computed per index, nothing stored. */
export function rangeSource(from: number, to: number, step: number): InputSource {
  const length = Math.max(0, rangeCount(from, to, step));
  return {
    kind: 'range',
    length,
    complete: true,
    get(index) {
      checkIndex(index, length);
      return String(from + index * step);
    },
    close() {},
  };
}

/**
 * An array the job file already holds (`list:`) or the matched paths of a glob: both are few
 * (a list is written out in the job file, a glob's matches are files on disk), so one string
 * each is fine here.
 */
export function arraySource(kind: 'list' | 'glob', items: readonly string[]): InputSource {
  return {
    kind,
    length: items.length,
    complete: true,
    get(index) {
      checkIndex(index, items.length);
      return items[index];
    },
    close() {},
  };
}

export function checkIndex(index: number, length: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) throw new RangeError(`input index ${index} is outside 0..${length - 1}`);
}

/** Every input of a source, in order; for small sources and tests only. */
export function sourceToArray(src: InputSource): string[] {
  const out = new Array<string>(src.length);
  for (let i = 0; i < src.length; i++) out[i] = src.get(i);
  return out;
}
