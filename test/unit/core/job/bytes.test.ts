import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBytes, displayText, encodeBytes, hasRawBytes, inputLiteral, rawRunBytes, splitRawBytes } from '../../../../main/core/job/bytes.js';
import { expandInputs } from '../../../../main/core/job/inputs.js';
import { parseJobText } from '../../../../main/core/job/parse.js';

describe('input bytes (surrogateescape)', () => {
  it('round-trips every byte string exactly', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect([...encodeBytes(decodeBytes(bytes))]).toEqual([...bytes]);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps b\\xff\\xfec as 62 ff fe 63 and shows it as b\uFFFD\uFFFDc', () => {
    const s = decodeBytes(Buffer.from('62fffe63', 'hex'));
    expect(hasRawBytes(s)).toBe(true);
    expect(encodeBytes(s).toString('hex')).toBe('62fffe63');
    expect(displayText(s)).toBe('b\uFFFD\uFFFDc');
  });

  it('decodes valid UTF-8 as text and leaves it unmarked', () => {
    const s = decodeBytes(Buffer.from('é 日本 😀', 'utf8'));
    expect(s).toBe('é 日本 😀');
    expect(hasRawBytes(s)).toBe(false);
  });

  it('escapes overlong forms and encoded surrogates byte by byte', () => {
    for (const hex of ['c0af', 'e080af', 'eda080', 'f4908080']) {
      const s = decodeBytes(Buffer.from(hex, 'hex'));
      expect(hasRawBytes(s)).toBe(true);
      expect(encodeBytes(s).toString('hex')).toBe(hex);
    }
  });

  it('does not mistake a real astral character for an escaped byte', () => {
    // U+10080 is the pair D800 DC80: its low half is in the escape range but belongs to a character.
    const s = String.fromCodePoint(0x10080);
    expect(s.charCodeAt(1)).toBe(0xdc80);
    expect(hasRawBytes(s)).toBe(false);
    expect(encodeBytes(s)).toEqual(Buffer.from(s, 'utf8'));
  });

  it('decodes the valid stretches between bad bytes as text', () => {
    expect(decodeBytes(Buffer.from('c3a9a9', 'hex'))).toBe('é\udca9');
    expect(decodeBytes(Buffer.from('61ff62e697a5ff', 'hex'))).toBe('a\udcffb日\udcff');
  });

  it('cuts a string into text runs and raw runs, in order', () => {
    expect(splitRawBytes('ab\udcff\udcfec\udc80')).toEqual([
      { text: 'ab', raw: false },
      { text: '\udcff\udcfe', raw: true },
      { text: 'c', raw: false },
      { text: '\udc80', raw: true },
    ]);
    expect(splitRawBytes('')).toEqual([{ text: '', raw: false }]);
    expect(rawRunBytes('\udcff\udc80')).toEqual([0xff, 0x80]);
  });

  it('writes inputs in messages as JSON would, with \\xHH for raw bytes', () => {
    expect(inputLiteral('a "b"\n')).toBe(JSON.stringify('a "b"\n'));
    expect(inputLiteral(decodeBytes(Buffer.from('b\xff\xfe"c\\', 'latin1')))).toBe('"b\\xff\\xfe\\"c\\\\"');
  });
});

describe('an inputs file of bytes', () => {
  it('keeps each line exact: BOM dropped, \\r\\n accepted, bytes that are not UTF-8 kept', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'corral-bytes-'));
    try {
      await writeFile(join(dir, 'in.txt'), Buffer.from('\xef\xbb\xbfb\xff\xfec\r\n\n\x80\ntrail \r\n\xc3\xa9\n', 'latin1'));
      const r = parseJobText('command: echo {}\ninputs:\n  file: in.txt\n', { file: null, baseDir: dir });
      if (!r.ok) throw new Error(r.issues[0].text);
      const lines = await expandInputs(r.spec);
      expect(lines.map((l) => encodeBytes(l).toString('hex'))).toEqual(['62fffe63', '80', '747261696c20', 'c3a9']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
