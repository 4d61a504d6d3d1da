import { describe, expect, it } from 'vitest';
import { appendOutput, emptyOutput, outputSegments } from '../../../../renderer/views/outputMarks.js';

const chunk = (offset: number, text: string, stderr: [number, number][] = [], end?: number) => ({ seq: 1, offset, total: offset + text.length, text, truncated: false, stderr, end });

describe('output pane marks', () => {
  it('marks whole lines that hold stderr, grouping neighbours', () => {
    const text = 'a\nERR1\nERR2\nb\npartial ERR\n';
    const marks: [number, number][] = [[2, 12], [22, 25]];
    expect(outputSegments(text, marks)).toEqual([
      { stderr: false, text: 'a\n' },
      { stderr: true, text: 'ERR1\nERR2\n' },
      { stderr: false, text: 'b\n' },
      { stderr: true, text: 'partial ERR\n' },
    ]);
    expect(outputSegments('plain\n', [])).toEqual([{ stderr: false, text: 'plain\n' }]);
  });

  it('appends polls, shifting their marks, and trims the oldest text with its marks', () => {
    let o = appendOutput(emptyOutput, chunk(0, 'out\nerr\n', [[4, 8]]), 100);
    o = appendOutput(o, chunk(8, 'more\nerr\n', [[5, 9]]), 100);
    expect(o.text).toBe('out\nerr\nmore\nerr\n');
    expect(o.marks).toEqual([[4, 8], [13, 17]]);
    expect(o.next).toBe(17);
    o = appendOutput(o, chunk(17, 'x'), 10);
    expect(o.text).toBe('more\nerr\nx');
    expect(o.marks).toEqual([[5, 9]]);
  });

  it('asks next for the byte after what the server sent (end), not the text length, when bytes were not UTF-8', () => {
    const o = appendOutput(emptyOutput, chunk(0, '\ufffd\n', [], 2), 100);
    expect(o.next).toBe(2);
  });

  it('starts over when the server dropped bytes the pane never saw', () => {
    const o = appendOutput({ text: 'old\n', marks: [[0, 4]], next: 4, truncated: false }, chunk(50, 'new\n'), 100);
    expect(o).toEqual({ text: 'new\n', marks: [], next: 54, truncated: true });
  });
});
