import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { Spool } from '../../../../main/core/output/spool.js';

const drain = (s: Spool) => {
  const parts: Buffer[] = [];
  for (let b = s.take(7); b; b = s.take(7)) parts.push(b);
  return Buffer.concat(parts).toString();
};
const spoolDirs = () => new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('corral-output-')));

describe('Spool', () => {
  it('keeps bytes in memory up to its budget, in order', () => {
    const s = new Spool(10);
    s.append(Buffer.from('abc'));
    s.append(Buffer.from('defg'));
    expect([s.size, s.spilled]).toEqual([7, false]);
    expect(drain(s)).toBe('abcdefg');
    expect(s.size).toBe(0);
  });

  it('spills past its budget to a temporary file, keeps the order, and removes the file on close', () => {
    const before = spoolDirs();
    const s = new Spool(4);
    s.append(Buffer.from('abc'));
    s.append(Buffer.from('defghij'));
    s.append(Buffer.from('k'));
    expect([s.size, s.spilled]).toEqual([11, true]);
    const dir = [...spoolDirs()].find((d) => !before.has(d));
    expect(dir).toBeDefined();
    expect(drain(s)).toBe('abcdefghijk');
    s.append(Buffer.from('after a drain'));
    expect(drain(s)).toBe('after a drain');
    s.close();
    expect(existsSync(`${tmpdir()}/${dir}`)).toBe(false);
  });

  it('copies what it is given: a caller reusing its buffer does not change what was appended', () => {
    const s = new Spool(100);
    const buf = Buffer.from('xyz');
    s.append(buf);
    buf.write('___');
    expect(drain(s)).toBe('xyz');
  });
});
