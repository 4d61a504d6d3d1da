// The icon files electron-builder reads, at the sizes each platform needs, read from the bytes
// (PNG IHDR, ICO directory, ICNS chunk table) rather than trusted from file names.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pngSize, root } from './support.js';
import { ICNS_CHUNKS, ICO_SIZES, LINUX_SIZES, encodeIcns, encodeIco } from '../../../scripts/make-icons.mjs';

const build = (f: string) => join(root, 'build', f);

function icoEntries(buf: Buffer): Array<{ size: number; png: Buffer }> {
  expect(buf.readUInt16LE(0)).toBe(0);
  expect(buf.readUInt16LE(2)).toBe(1);
  const count = buf.readUInt16LE(4);
  return Array.from({ length: count }, (_, i) => {
    const e = 6 + i * 16;
    const w = buf.readUInt8(e) || 256;
    const len = buf.readUInt32LE(e + 8);
    const off = buf.readUInt32LE(e + 12);
    return { size: w, png: buf.subarray(off, off + len) };
  });
}

function icnsChunks(buf: Buffer): Array<{ type: string; png: Buffer }> {
  expect(buf.subarray(0, 4).toString('ascii')).toBe('icns');
  expect(buf.readUInt32BE(4)).toBe(buf.length);
  const chunks: Array<{ type: string; png: Buffer }> = [];
  for (let off = 8; off < buf.length; ) {
    const len = buf.readUInt32BE(off + 4);
    chunks.push({ type: buf.subarray(off, off + 4).toString('ascii'), png: buf.subarray(off + 8, off + len) });
    off += len;
  }
  return chunks;
}

describe('build/ icons', () => {
  it('has the SVG source they are made from', () => {
    expect(readFileSync(build('icon.svg'), 'utf8')).toMatch(/^<svg[^>]+viewBox="0 0 1024 1024"/);
  });

  it('icon.png is 1024×1024', () => {
    expect(pngSize(readFileSync(build('icon.png')))).toEqual({ width: 1024, height: 1024 });
  });

  it.each(LINUX_SIZES)('icons/%ix%i.png (Linux) has that size', (size) => {
    const file = build(`icons/${size}x${size}.png`);
    expect(existsSync(file), file).toBe(true);
    expect(pngSize(readFileSync(file))).toEqual({ width: size, height: size });
  });

  it('icon.ico holds 16…256, each entry a PNG of the size its directory entry says', () => {
    const entries = icoEntries(readFileSync(build('icon.ico')));
    expect(entries.map((e) => e.size)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    for (const e of entries) expect(pngSize(e.png)).toEqual({ width: e.size, height: e.size });
  });

  it('icon.icns holds every chunk type from 16 to 1024 with a PNG of the right size', () => {
    const chunks = icnsChunks(readFileSync(build('icon.icns')));
    const want = new Map(ICNS_CHUNKS.map(([t, s]) => [t, s]));
    expect(chunks.map((c) => c.type).sort()).toEqual([...want.keys()].sort());
    expect([...want.keys()]).toEqual(expect.arrayContaining(['icp4', 'ic07', 'ic08', 'ic09', 'ic10']));
    for (const c of chunks) {
      const size = want.get(c.type) as number;
      expect(pngSize(c.png), c.type).toEqual({ width: size, height: size });
    }
  });

  it('the script asks for the sizes electron-builder needs (256 for Windows, 512+ for macOS)', () => {
    expect(ICO_SIZES).toEqual([16, 24, 32, 48, 64, 128, 256]);
    expect(LINUX_SIZES).toEqual(expect.arrayContaining([16, 32, 48, 64, 128, 256, 512]));
  });
});

describe('make-icons encoders', () => {
  const png = (size: number) => {
    const b = Buffer.alloc(24);
    Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').copy(b);
    b.writeUInt32BE(size, 16);
    b.writeUInt32BE(size, 20);
    return b;
  };

  it('ICO writes 256 as 0 and offsets that point at each PNG', () => {
    const ico = encodeIco([16, 256].map((size) => ({ size, png: png(size) })));
    expect(ico.readUInt8(6 + 16)).toBe(0);
    expect(icoEntries(ico).map((e) => pngSize(e.png).width)).toEqual([16, 256]);
  });

  it('ICNS lengths include the 8-byte heads', () => {
    const icns = encodeIcns([{ type: 'ic07', png: png(128) }]);
    expect(icns.length).toBe(8 + 8 + 24);
    expect(icnsChunks(icns)).toEqual([{ type: 'ic07', png: png(128) }]);
  });
});
