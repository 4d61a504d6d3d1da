import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { combinedSource, splitSource } from '../../../../main/core/inputs/combine.js';
import { arraySource, rangeSource, sourceToArray } from '../../../../main/core/inputs/source.js';
import { fileSource } from '../../../../main/core/inputs/fileSource.js';
import { spooledSource } from '../../../../main/core/inputs/spooledSource.js';
import { splitColumns } from '../../../../main/core/job/columns.js';
import { streamSource } from '../../../../main/core/inputs/streamSource.js';
import { encodeBytes } from '../../../../main/core/job/bytes.js';

const list = (...items: string[]) => arraySource('list', items);
const rows = (src: ReturnType<typeof list>) => sourceToArray(src).map(splitColumns);

describe('combinedSource', () => {
  it('every combination, the last source varying fastest (parallel ::: a b ::: 1 2)', () => {
    expect(rows(combinedSource([list('a', 'b'), list('1', '2', '3')], false))).toEqual([
      ['a', '1'], ['a', '2'], ['a', '3'], ['b', '1'], ['b', '2'], ['b', '3'],
    ]);
  });
  it('--link pairs the i-th of each; a shorter source wraps around', () => {
    expect(rows(combinedSource([list('a', 'b', 'c'), list('1', '2')], true))).toEqual([['a', '1'], ['b', '2'], ['c', '1']]);
  });
  it('is computed per index: a million combinations hold no string each', () => {
    const src = combinedSource([rangeSource(1, 1000, 1), rangeSource(1, 1000, 1)], false);
    expect(src.length).toBe(1_000_000);
    expect(splitColumns(src.get(999_999))).toEqual(['1000', '1000']);
    expect(splitColumns(src.get(1000))).toEqual(['2', '1']);
  });
  it('an empty source makes no combination', () => {
    expect(combinedSource([list('a'), arraySource('list', [])], false).length).toBe(0);
  });
});

describe('splitSource (--colsep)', () => {
  it('splits each input at the regular expression', () => {
    expect(rows(splitSource(list('a\tb', 'c\t\td'), /\t/))).toEqual([['a', 'b'], ['c', '', 'd']]);
  });
});

describe('-0 and stdin sources', () => {
  it('fileSource with separator 0 splits at NUL and keeps newlines and carriage returns', () => {
    const dir = mkdtempSync(join(tmpdir(), 'corral-null-'));
    writeFileSync(join(dir, 'in'), 'a\nb\0c\r\0\0d');
    const src = fileSource(join(dir, 'in'), 0);
    expect(sourceToArray(src)).toEqual(['a\nb', 'c\r', 'd']);
    src.close();
  });
  it('spooledSource reads a stream to its end, keeps its bytes exactly and removes its file on close', async () => {
    const src = await spooledSource(Readable.from([Buffer.from('one\ntw'), Buffer.from([0x6f, 0xff, 0x0a, 0x0a, 0x74, 0x68, 0x72, 0x65, 0x65])]));
    expect(src.length).toBe(3);
    expect(src.get(0)).toBe('one');
    expect(src.get(2)).toBe('three');
    expect(Buffer.from(src.get(1), 'utf8').length).toBeGreaterThan(0);
    src.close();
  });
});

describe('streamSource (stdin, streamed)', () => {
  it('grows as lines arrive and tells its listener; the last line counts once the stream ends', async () => {
    const stream = new PassThrough();
    const src = streamSource(stream);
    const seen: [number, boolean][] = [];
    src.onChange!(() => seen.push([src.length, src.complete]));
    stream.write('a\r\nb');
    await new Promise((r) => setImmediate(r));
    expect([src.length, src.complete, src.get(0)]).toEqual([1, false, 'a']);
    stream.write('c\n\n');
    await new Promise((r) => setImmediate(r));
    expect(src.get(1)).toBe('bc');
    stream.end('last');
    await src.ended;
    expect([src.length, src.complete, src.get(2), src.error]).toEqual([3, true, 'last', null]);
    expect(seen).toEqual([[1, false], [2, false], [3, true]]);
    src.close();
  });
  it('-0: NUL separates, newlines and carriage returns are kept; bytes that are not UTF-8 survive', async () => {
    const src = streamSource(Readable.from([Buffer.from('x\ny\0'), Buffer.from([0x7a, 0xff, 0x0d, 0x00])]), 0);
    await src.ended;
    expect(src.get(0)).toBe('x\ny');
    expect(encodeBytes(src.get(1))).toEqual(Buffer.from([0x7a, 0xff, 0x0d]));
    src.close();
  });
  it('a stream that fails ends the source with its error', async () => {
    const stream = new PassThrough();
    const src = streamSource(stream);
    stream.write('a\n');
    stream.destroy(new Error('EIO'));
    await src.ended;
    expect([src.complete, src.error?.message, src.length]).toEqual([true, 'EIO', 1]);
    src.close();
  });
});
