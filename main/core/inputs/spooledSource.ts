// Inputs read from a stream (stdin): copied to a temporary file as they arrive, then indexed like
// an inputs file, so memory stays flat however long the stream. Dispatch waits for the stream's
// end (a streamed source that dispatches while reading is not built yet).
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileSource } from './fileSource.js';
import type { InputSource } from './source.js';

export async function spooledSource(stream: NodeJS.ReadableStream, separator: 10 | 0 = 10): Promise<InputSource> {
  const dir = mkdtempSync(join(tmpdir(), 'corral-stdin-'));
  const path = join(dir, 'inputs');
  try {
    await pipeline(stream, createWriteStream(path));
    const src = fileSource(path, separator);
    return {
      kind: 'file',
      length: src.length,
      complete: true,
      get: (i) => src.get(i),
      close() {
        src.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
