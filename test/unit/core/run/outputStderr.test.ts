import { describe, expect, it } from 'vitest';
import { MAX_STDERR_RANGES, OutputBuffer, outputText } from '../../../../main/core/run/outputBuffer.js';

describe('OutputBuffer stderr ranges', () => {
  it('records where stderr bytes are, merging adjacent stderr chunks', () => {
    const b = new OutputBuffer(1024);
    b.push(Buffer.from('out1\n'), 'stdout');
    b.push(Buffer.from('err'), 'stderr');
    b.push(Buffer.from('1\n'), 'stderr');
    b.push(Buffer.from('note\n')); // Corral's own note: not stderr
    b.push(Buffer.from('err2\n'), 'stderr');
    expect(b.read().stderr).toEqual([[5, 10], [15, 20]]);
    expect(b.read(7, 10).stderr).toEqual([[7, 10], [15, 17]]);
  });

  it('drops ranges with the bytes the ring drops, and clips the one cut in half', () => {
    const b = new OutputBuffer(8);
    b.push(Buffer.from('eeee'), 'stderr');
    b.push(Buffer.from('oooooo'), 'stdout'); // holds eeoooooo from offset 2
    expect(b.read()).toMatchObject({ offset: 2, stderr: [[2, 4]] });
    b.push(Buffer.from('oooo'), 'stdout');
    expect(b.read().stderr).toEqual([]);
  });

  it('keeps at most MAX_STDERR_RANGES ranges however often the streams alternate, and says marks were lost', () => {
    const b = new OutputBuffer(1024 * 1024);
    for (let i = 0; i < MAX_STDERR_RANGES * 3; i++) {
      b.push(Buffer.from('o'), 'stdout');
      b.push(Buffer.from('e'), 'stderr');
    }
    const r = b.read().stderr;
    expect(r).toHaveLength(MAX_STDERR_RANGES);
    expect(r.at(-1)).toEqual([b.total - 1, b.total]);
    expect(b.stderrMarksLost).toBe(true);
  });

  it('turns byte ranges into text indexes, exact around bytes that are not UTF-8', () => {
    // 0xff is one invalid byte (one U+FFFD), 'é' is two bytes (one char).
    const bytes = Buffer.concat([Buffer.from([0xff]), Buffer.from('é\n'), Buffer.from('bad\n'), Buffer.from('ok\n')]);
    const r = outputText(100, bytes, [[104, 108]]);
    expect(r.text).toBe('\ufffdé\nbad\nok\n');
    expect(r.stderr).toEqual([[3, 7]]);
    expect(r.text.slice(3, 7)).toBe('bad\n');
  });
});
