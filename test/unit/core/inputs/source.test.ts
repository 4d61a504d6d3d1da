import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { arraySource, rangeSource, sourceToArray } from '../../../../main/core/inputs/source.js';
import { fileSource } from '../../../../main/core/inputs/fileSource.js';
import { encodeBytes } from '../../../../main/core/job/bytes.js';

const dir = mkdtempSync(join(tmpdir(), 'corral-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Buffer | string): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

function lines(path: string): string[] {
  const src = fileSource(path);
  try {
    return sourceToArray(src);
  } finally {
    src.close();
  }
}

describe('rangeSource', () => {
  it('computes each value from from and step', () => {
    expect(sourceToArray(rangeSource(1, 5, 1))).toEqual(['1', '2', '3', '4', '5']);
    expect(sourceToArray(rangeSource(0, 10, 4))).toEqual(['0', '4', '8']);
    expect(sourceToArray(rangeSource(3, -3, -3))).toEqual(['3', '0', '-3']);
    expect(sourceToArray(rangeSource(7, 7, 1))).toEqual(['7']);
  });

  it('answers any index of 10 M without holding them', () => {
    const r = rangeSource(1, 10_000_000, 1);
    expect(r.length).toBe(10_000_000);
    expect(r.complete).toBe(true);
    expect(r.get(9_999_999)).toBe('10000000');
    expect(r.get(0)).toBe('1');
  });

  it('refuses an index outside the range', () => {
    const r = rangeSource(1, 3, 1);
    expect(() => r.get(3)).toThrow('input index 3 is outside 0..2');
    expect(() => r.get(-1)).toThrow('input index -1 is outside 0..2');
    expect(() => r.get(1.5)).toThrow('input index 1.5 is outside 0..2');
  });

  it('fractional steps keep the decimal form', () => {
    expect(sourceToArray(rangeSource(0, 1, 0.5))).toEqual(['0', '0.5', '1']);
  });
});

describe('arraySource', () => {
  it('lists and globs keep their array', () => {
    const s = arraySource('glob', ['a', 'b']);
    expect(s.kind).toBe('glob');
    expect(sourceToArray(s)).toEqual(['a', 'b']);
  });
});

describe('fileSource', () => {
  it('\\n and \\r\\n end lines; empty lines are skipped; a BOM is dropped', () => {
    expect(lines(file('crlf.txt', '\uFEFFone\r\ntwo\n\n\r\nthree four \nlast'))).toEqual(['one', 'two', 'three four ', 'last']);
  });

  it('no trailing newline, a trailing \\r at the end of the file', () => {
    expect(lines(file('notrail.txt', 'a\nb'))).toEqual(['a', 'b']);
    expect(lines(file('crend.txt', 'a\r\nb\r'))).toEqual(['a', 'b']);
  });

  it('a lone \\r inside a line is kept', () => {
    expect(lines(file('inner.txt', 'a\rb\n\r\n'))).toEqual(['a\rb']);
  });

  it('only empty lines: no inputs', () => {
    expect(fileSource(file('blank.txt', '\n\r\n\n')).length).toBe(0);
    expect(fileSource(file('empty.txt', '')).length).toBe(0);
  });

  it('lines that are not UTF-8 come back as the exact bytes', () => {
    const raw = [Buffer.from([0x66, 0xff, 0x6f]), Buffer.from('naïve', 'utf8'), Buffer.from([0xc3, 0x28, 0x80])];
    const got = lines(file('raw.txt', Buffer.concat([raw[0], Buffer.from('\n'), raw[1], Buffer.from('\r\n'), raw[2]])));
    expect(got.map((s) => encodeBytes(s))).toEqual(raw);
    expect(got[1]).toBe('naïve');
  });

  it('lines across the 1 MiB read chunks, with \\r\\n split between two chunks', () => {
    const long = 'x'.repeat((1 << 20) - 1); // its "\r" is the last byte of the first chunk
    expect(lines(file('chunks.txt', `${long}\r\nnext\n`))).toEqual([long, 'next']);
  });

  it('indexes 1 M lines without a string per line', () => {
    const text = Array.from({ length: 1_000_000 }, (_, i) => String(i)).join('\n');
    const src = fileSource(file('million.txt', text));
    expect(src.length).toBe(1_000_000);
    expect(src.get(999_999)).toBe('999999');
    expect(src.get(123_456)).toBe('123456');
    src.close();
    expect(() => src.get(0)).toThrow('the inputs file is closed');
  });
});
