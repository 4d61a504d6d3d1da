// --results DIR in GNU parallel's layout: DIR/1/<input 1>/2/<input 2>/…/{seq,stdout,stderr}, a
// "/" in an input written as "\_" and "\" as "\\" (parallel 20221122). Output is written as it
// arrives, so a task's output costs no memory here.
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TaskRecord } from '../core/pool/task.js';
import { splitColumns } from '../core/job/columns.js';
import { encodeBytes } from '../core/job/bytes.js';

export function resultsPath(dir: string, input: string): string {
  const parts: string[] = [resolve(dir)];
  splitColumns(input).forEach((col, i) => {
    parts.push(String(i + 1));
    const name = col.replaceAll('\\', '\\\\').replaceAll('/', '\\_');
    if (name !== '') parts.push(name);
  });
  return join(...parts);
}

export class Results {
  readonly #open = new Map<number, { path: Buffer; file: (name: string) => Buffer; out: number; err: number }>();

  constructor(private readonly dir: string) {}

  pathOf(t: TaskRecord): string {
    return resultsPath(this.dir, t.info.input);
  }

  output(t: TaskRecord, stream: 'stdout' | 'stderr', chunk: Buffer): void {
    const f = this.#files(t);
    let done = 0;
    const fd = stream === 'stdout' ? f.out : f.err;
    while (done < chunk.length) done += writeSync(fd, chunk, done);
  }

  attemptEnded(t: TaskRecord, willRetry: boolean): void {
    if (willRetry) return;
    const f = this.#files(t);
    writeFileSync(f.file('seq'), `${t.seq}\n`);
    closeSync(f.out);
    closeSync(f.err);
    this.#open.delete(t.seq);
  }

  #files(t: TaskRecord) {
    let f = this.#open.get(t.seq);
    if (!f) {
      // As bytes: an input that is not UTF-8 names its folder with its own bytes.
      const path = encodeBytes(this.pathOf(t));
      const file = (name: string) => Buffer.concat([path, Buffer.from(`/${name}`)]);
      mkdirSync(path, { recursive: true });
      f = { path, file, out: openSync(file('stdout'), 'w'), err: openSync(file('stderr'), 'w') };
      this.#open.set(t.seq, f);
    }
    return f;
  }
}
