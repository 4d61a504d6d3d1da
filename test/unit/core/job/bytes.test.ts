import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeBytes, displayText, encodeBytes, hasRawBytes } from '../../../../main/core/job/bytes.js';

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
});
