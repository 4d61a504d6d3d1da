// A stand-in for the Electron runtime electron-builder packages: the real one cannot be downloaded
// here. It is a shell script that runs Node 24 when started with ELECTRON_RUN_AS_NODE=1 (and refuses
// to start a GUI otherwise), followed by Electron's fuse wire, so @electron/fuses can flip it.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's own defaults, in FuseV1Options order ('1' on, '0' off). */
export const ELECTRON_DEFAULT_FUSES = '10110001';
export const standInRefusal = 'stand-in Electron: no GUI here (ELECTRON_RUN_AS_NODE is not 1)';

/** Writes <dir>/electron (+ the files electron-builder expects next to it) and returns dir. */
export function makeStandInElectron(dir: string, node = process.execPath): string {
  mkdirSync(dir, { recursive: true });
  const script = [
    '#!/bin/sh',
    `[ "$ELECTRON_RUN_AS_NODE" = 1 ] || { echo '${standInRefusal}' >&2; exit 3; }`,
    `exec '${node}' "$@"`,
    '',
  ].join('\n');
  const wire = Buffer.concat([Buffer.from(`# ${FUSE_SENTINEL}`), Buffer.from([1, ELECTRON_DEFAULT_FUSES.length]), Buffer.from(`${ELECTRON_DEFAULT_FUSES}\n`)]);
  writeFileSync(join(dir, 'electron'), Buffer.concat([Buffer.from(script), wire]));
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'chrome-sandbox'), '');
  writeFileSync(join(dir, 'LICENSE'), 'stand-in for Electron’s LICENSE\n');
  writeFileSync(join(dir, 'version'), '45.4.1');
  mkdirSync(join(dir, 'resources'), { recursive: true }); // no default_app.asar: integrity hashing would read it
  return dir;
}
