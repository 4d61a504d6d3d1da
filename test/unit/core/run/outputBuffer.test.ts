import { describe, expect, it } from 'vitest';
import { OutputBuffer } from '../../../../main/core/run/outputBuffer.js';
import { missingProgramFromShell } from '../../../../main/core/run/commandRunner.js';

describe('OutputBuffer', () => {
  it('keeps only the last capacity bytes and counts the whole stream', () => {
    const b = new OutputBuffer(10);
    b.push(Buffer.from('0123456789'));
    b.push(Buffer.from('abcde'));
    expect(b.total).toBe(15);
    expect(b.start).toBe(5);
    const r = b.read();
    expect([r.offset, r.bytes.toString(), r.truncated]).toEqual([5, '56789abcde', true]);
    b.push(Buffer.from('X'.repeat(25)));
    expect(b.read().bytes.toString()).toBe('X'.repeat(10));
    expect(b.total).toBe(40);
  });

  it('reads a range, clipped to what is held', () => {
    const b = new OutputBuffer(8);
    b.push(Buffer.from('abcdefghij')); // holds cdefghij from offset 2
    expect(b.read(0, 4)).toMatchObject({ offset: 2, truncated: true });
    expect(b.read(0, 4).bytes.toString()).toBe('cdef');
    expect(b.read(5, 2).bytes.toString()).toBe('fg');
    expect(b.tail(3)).toBe('hij');
  });

  it('stays bounded under many tiny chunks', () => {
    const b = new OutputBuffer(1024);
    for (let i = 0; i < 100_000; i++) b.push(Buffer.from('y\n'));
    expect(b.read().bytes.length).toBe(1024);
    expect(b.total).toBe(200_000);
  });
});

describe('OutputBuffer.shrinkTo', () => {
  it('keeps only the last n bytes, with offsets and total unchanged', () => {
    const b = new OutputBuffer(1024);
    b.push(Buffer.from('0123456789'));
    b.push(Buffer.from('abcdef'));
    b.shrinkTo(4);
    expect(b.held).toBe(4);
    expect(b.total).toBe(16);
    expect(b.read()).toMatchObject({ offset: 12, truncated: true });
    expect(b.read().bytes.toString()).toBe('cdef');
    b.shrinkTo(0);
    expect(b.held).toBe(0);
    expect(b.read().bytes.length).toBe(0);
    b.push(Buffer.from('more'));
    expect(b.read().bytes.toString()).toBe('more');
    expect(b.total).toBe(20);
  });
});

describe('missingProgramFromShell', () => {
  it.each([
    ['sh: 1: nosuchprog: not found\n', 'nosuchprog'],
    ['/bin/sh: nosuchprog: command not found\n', 'nosuchprog'],
    ['bash: line 1: nosuchprog: command not found\n', 'nosuchprog'],
  ])('names the program from %j', (tail, name) => {
    expect(missingProgramFromShell(127, tail)).toBe(name);
  });
  it('only for exit 127', () => {
    expect(missingProgramFromShell(1, 'sh: 1: x: not found\n')).toBeNull();
    expect(missingProgramFromShell(127, 'something else')).toBeNull();
  });
});
