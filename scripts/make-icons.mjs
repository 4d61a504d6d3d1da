// Makes every icon electron-builder needs from build/icon.svg:
//   build/icon.png          1024×1024 (source for anything electron-builder derives itself)
//   build/icons/NxN.png     16…1024 (Linux: AppImage/deb hicolor theme; electron-builder reads this folder)
//   build/icon.ico          16, 24, 32, 48, 64, 128, 256 (Windows; PNG-compressed entries)
//   build/icon.icns         16…1024 (macOS; PNG-compressed chunks)
// Rasterises with a headless Chromium through playwright-core, so each size is rendered from the
// vector (crisper at 16 px than downscaling a bitmap). Set CHROMIUM=/path/to/chrome if it is not
// at /usr/bin/chromium; Google Chrome or Edge work too. ICO and ICNS are written by hand: both can
// embed PNGs, so no image library is needed.
//   node scripts/make-icons.mjs
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = join(root, 'build');

export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
// ICNS chunk type → pixel size (Apple's "@2x" types hold the doubled size).
export const ICNS_CHUNKS = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];

/** ICO: 6-byte header, one 16-byte directory entry per image, then the PNGs. 256 is written as 0. */
export function encodeIco(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type 1 = icon
  header.writeUInt16LE(images.length, 4);
  const dir = Buffer.alloc(16 * images.length);
  let offset = header.length + dir.length;
  images.forEach(({ size, png }, i) => {
    const e = i * 16;
    dir.writeUInt8(size >= 256 ? 0 : size, e);
    dir.writeUInt8(size >= 256 ? 0 : size, e + 1);
    dir.writeUInt8(0, e + 2); // palette colours
    dir.writeUInt8(0, e + 3); // reserved
    dir.writeUInt16LE(1, e + 4); // colour planes
    dir.writeUInt16LE(32, e + 6); // bits per pixel
    dir.writeUInt32LE(png.length, e + 8);
    dir.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, dir, ...images.map((i) => i.png)]);
}

/** ICNS: 'icns' + total length (big-endian), then chunks of type + length (incl. 8-byte head) + PNG. */
export function encodeIcns(chunks) {
  const parts = chunks.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

function findChromium() {
  const candidates = [
    process.env.CHROMIUM,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
  ].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('make-icons: no Chromium found; set CHROMIUM=/path/to/chrome');
  return found;
}

async function rasterise(svg, sizes) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    const out = new Map();
    for (const size of sizes) {
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(
        `<html><body style="margin:0;background:transparent"><img id="i" src="${src}" width="${size}" height="${size}" style="display:block"></body></html>`,
      );
      await page.waitForFunction(() => document.getElementById('i')?.complete);
      out.set(size, await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
    }
    return out;
  } finally {
    await browser.close();
  }
}

async function main() {
  const svg = readFileSync(join(buildDir, 'icon.svg'), 'utf8');
  const sizes = [...new Set([...LINUX_SIZES, ...ICO_SIZES, ...ICNS_CHUNKS.map(([, s]) => s)])].sort((a, b) => a - b);
  const png = await rasterise(svg, sizes);
  mkdirSync(join(buildDir, 'icons'), { recursive: true });
  writeFileSync(join(buildDir, 'icon.png'), png.get(1024));
  for (const s of LINUX_SIZES) writeFileSync(join(buildDir, 'icons', `${s}x${s}.png`), png.get(s));
  writeFileSync(join(buildDir, 'icon.ico'), encodeIco(ICO_SIZES.map((size) => ({ size, png: png.get(size) }))));
  writeFileSync(join(buildDir, 'icon.icns'), encodeIcns(ICNS_CHUNKS.map(([type, size]) => ({ type, png: png.get(size) }))));
  console.log(`make-icons: wrote build/icon.png, build/icons/ (${LINUX_SIZES.join(', ')}), build/icon.ico, build/icon.icns`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
