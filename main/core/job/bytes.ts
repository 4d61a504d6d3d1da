import { isUtf8 } from 'node:buffer';

// Inputs are bytes. Corral keeps them in JS strings the way Python's "surrogateescape" does: valid
// UTF-8 is decoded as usual, and every byte that is not part of a valid sequence becomes the lone
// surrogate U+DC00 + byte (U+DC80–U+DCFF). Nothing is lost: encodeBytes gives back the exact bytes
// for the program's argv, and displayText shows U+FFFD where a byte was not text.

const ESCAPED = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/;
const ESCAPED_ALL = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/g;
const ESCAPED_RUNS = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]+/g;

/** Bytes → string, lossless: invalid UTF-8 bytes become U+DC80–U+DCFF. */
export function decodeBytes(buf: Uint8Array): string {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (isUtf8(b)) return b.toString('utf8');
  // Valid stretches are decoded whole (one toString per stretch, not per character): a file of a
  // million lines with a few bad bytes decodes at nearly the speed of plain UTF-8.
  const parts: string[] = [];
  let start = 0;
  let i = 0;
  while (i < b.length) {
    const n = validSequenceLength(b, i);
    if (n > 0) {
      i += n;
      continue;
    }
    if (start < i) parts.push(b.toString('utf8', start, i));
    parts.push(String.fromCharCode(0xdc00 + b[i]));
    start = ++i;
  }
  if (start < b.length) parts.push(b.toString('utf8', start));
  return parts.join('');
}

/** String → the exact bytes it was decoded from (plain strings encode as UTF-8). */
export function encodeBytes(s: string): Buffer {
  if (!ESCAPED.test(s)) return Buffer.from(s, 'utf8');
  return Buffer.concat(splitRawBytes(s).map((r) => (r.raw ? Buffer.from(rawRunBytes(r.text)) : Buffer.from(r.text, 'utf8'))));
}

/** True when the string holds bytes that are not UTF-8 (they need a byte-exact path to argv). */
export function hasRawBytes(s: string): boolean {
  return ESCAPED.test(s);
}

/** For display only: escaped bytes shown as U+FFFD. */
export function displayText(s: string): string {
  return hasRawBytes(s) ? s.replace(ESCAPED_ALL, '\uFFFD') : s;
}

export interface BytesRun {
  /** The run as it is in the string: text, or escaped bytes (U+DC80–U+DCFF) when `raw` */
  text: string;
  raw: boolean;
}

/** The string cut into runs of text and runs of escaped bytes, in order (for byte-exact quoting). */
export function splitRawBytes(s: string): BytesRun[] {
  const runs: BytesRun[] = [];
  let last = 0;
  for (const m of s.matchAll(ESCAPED_RUNS)) {
    if (m.index > last) runs.push({ text: s.slice(last, m.index), raw: false });
    runs.push({ text: m[0], raw: true });
    last = m.index + m[0].length;
  }
  if (last < s.length || runs.length === 0) runs.push({ text: s.slice(last), raw: false });
  return runs;
}

/** The byte values of a raw run from splitRawBytes. */
export function rawRunBytes(run: string): number[] {
  return Array.from(run, (c) => c.charCodeAt(0) - 0xdc00);
}

/** A quoted literal for messages: JSON.stringify's, with \xHH for a byte that is not text (not \udcHH). */
export function inputLiteral(s: string): string {
  if (!hasRawBytes(s)) return JSON.stringify(s);
  const body = splitRawBytes(s).map((r) =>
    r.raw ? rawRunBytes(r.text).map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('') : JSON.stringify(r.text).slice(1, -1),
  );
  return `"${body.join('')}"`;
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
