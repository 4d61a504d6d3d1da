import { isUtf8 } from 'node:buffer';

// Inputs are bytes. Corral keeps them in JS strings the way Python's "surrogateescape" does: valid
// UTF-8 is decoded as usual, and every byte that is not part of a valid sequence becomes the lone
// surrogate U+DC00 + byte (U+DC80–U+DCFF). Nothing is lost: encodeBytes gives back the exact bytes
// for the program's argv, and displayText shows U+FFFD where a byte was not text.

const ESCAPED = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/;
const ESCAPED_ALL = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/g;

/** Bytes → string, lossless: invalid UTF-8 bytes become U+DC80–U+DCFF. */
export function decodeBytes(buf: Uint8Array): string {
  if (isUtf8(buf)) return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8');
  let out = '';
  let i = 0;
  while (i < buf.length) {
    const n = validSequenceLength(buf, i);
    if (n > 0) {
      out += Buffer.from(buf.buffer, buf.byteOffset + i, n).toString('utf8');
      i += n;
    } else {
      out += String.fromCharCode(0xdc00 + buf[i]);
      i++;
    }
  }
  return out;
}

/** String → the exact bytes it was decoded from (plain strings encode as UTF-8). */
export function encodeBytes(s: string): Buffer {
  if (!ESCAPED.test(s)) return Buffer.from(s, 'utf8');
  const parts: Buffer[] = [];
  let last = 0;
  for (const m of s.matchAll(ESCAPED_ALL)) {
    parts.push(Buffer.from(s.slice(last, m.index), 'utf8'), Buffer.of(m[0].charCodeAt(0) - 0xdc00));
    last = m.index + 1;
  }
  parts.push(Buffer.from(s.slice(last), 'utf8'));
  return Buffer.concat(parts);
}

/** True when the string holds bytes that are not UTF-8 (they need a byte-exact path to argv). */
export function hasRawBytes(s: string): boolean {
  return ESCAPED.test(s);
}

/** For display only: escaped bytes shown as U+FFFD. */
export function displayText(s: string): string {
  return hasRawBytes(s) ? s.replace(ESCAPED_ALL, '\uFFFD') : s;
}

/** Length of the valid UTF-8 sequence starting at i, or 0 (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF). */
function validSequenceLength(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  const cont = (k: number) => i + k < b.length && (b[i + k] & 0xc0) === 0x80;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    const c1 = b[i + 1];
    if (c === 0xe0 && c1 < 0xa0) return 0; // overlong
    if (c === 0xed && c1 >= 0xa0) return 0; // UTF-16 surrogates
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const c1 = b[i + 1];
    if (c === 0xf0 && c1 < 0x90) return 0; // overlong
    if (c === 0xf4 && c1 >= 0x90) return 0; // above U+10FFFF
    return 4;
  }
  return 0;
}
