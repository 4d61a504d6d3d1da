// The built bundles against electron-builder.yml: every package they load at run time is a
// "dependency" (electron-builder ships only those), `files` selects each entry point, and what a
// child process loads from disk is unpacked from app.asar. Builds first when out/ lacks a bundle.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { FileMatcher } from 'app-builder-lib/out/fileMatcher.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLES, importedPackages, readBuilderConfig, readPackageJson, root, withRuntimeDeps } from './support.js';

const config = readBuilderConfig();
const pkg = readPackageJson();

let buildError = '';
beforeAll(() => {
  const missing = BUNDLES.filter((b) => !existsSync(join(root, b.out)));
  if (missing.length > 0 || !existsSync(join(root, 'out/workers/examples')) || !existsSync(join(root, 'out/renderer'))) {
    try {
      execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'pipe' });
    } catch (err) {
      // Reported by the tests that need the missing bundle, not as one opaque hook failure.
      buildError = `\nscripts/build.mjs failed:\n${String((err as { stderr?: Buffer }).stderr ?? err).slice(0, 2000)}`;
    }
  }
}, 300_000);

/** What electron-builder's copier keeps: the file and each folder above it must pass the filter. */
function selectedBy(patterns: string[], file: string): boolean {
  const filter = new FileMatcher(root, root, (p) => p, patterns).createFilter();
  const abs = join(root, file);
  for (let dir = dirname(abs); dir.length > root.length; dir = dirname(dir)) {
    if (!filter(dir, statSync(dir))) return false;
  }
  return filter(abs, statSync(abs));
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

const read = (file: string) => readFileSync(join(root, file), 'utf8');

describe('importedPackages (the scanner the checks below rely on)', () => {
  it('finds require, __require, import(), import/export from and bare import; skips builtins and paths', () => {
    const code = [
      'var a = require("ws"); const b = __require("pidusage");',
      'import { parse } from "yaml"; import * as z from "zod/v4";',
      'export { x } from "@scope/pkg/sub"; import "side-effect";',
      'const c = await import("lazy"); require("node:fs"); require("path"); require("./local.cjs");',
      'import url from "node:url"; Array.from("not-a-module");',
    ].join('\n');
    expect(importedPackages(code)).toEqual(['@scope/pkg', 'lazy', 'pidusage', 'side-effect', 'ws', 'yaml', 'zod']);
  });
});

describe.each(BUNDLES)('$out ($runsIn)', ({ out, source }) => {
  it('was built', () => {
    expect(existsSync(join(root, out)), `${out} is missing: does ${source} exist and build?${buildError}`).toBe(true);
  });

  it('loads at run time only "dependencies" (and electron)', () => {
    const runtime = new Set(Object.keys(pkg.dependencies ?? {}));
    const offenders = importedPackages(read(out)).filter((name) => name !== 'electron' && !runtime.has(name));
    expect(offenders, `${out} loads packages that are not in "dependencies"`).toEqual([]);
  });

  it('is selected by `files`', () => {
    expect(selectedBy(config.files, out)).toBe(true);
  });
});

describe('files', () => {
  it('selects package.json, the renderer and the demo job, and nothing from the sources', () => {
    expect(selectedBy(config.files, 'package.json')).toBe(true);
    for (const f of [...filesUnder('out/renderer'), ...filesUnder('out/workers/examples')].filter((f) => !f.endsWith('.map'))) {
      expect(selectedBy(config.files, f), f).toBe(true);
    }
    for (const f of ['main/core/platform/resources.ts', 'electron-builder.yml', 'scripts/build.mjs', 'build/icon.svg', 'tsconfig.base.json']) {
      expect(existsSync(join(root, f)) && selectedBy(config.files, f), f).toBe(false);
    }
  });

  it('the demo job and renderer were built', () => {
    expect(existsSync(join(root, 'out/renderer/index.html')), `out/renderer/index.html${buildError}`).toBe(true);
    expect(existsSync(join(root, 'out/workers/examples/demo.yaml')), `out/workers/examples/demo.yaml${buildError}`).toBe(true);
  });

  it('"main" in package.json is a bundle `files` selects', () => {
    expect(pkg.main).toBe('out/main/index.cjs');
  });
});

describe('asarUnpack', () => {
  const workerBundles = BUNDLES.filter((b) => b.out.startsWith('out/workers/'));

  it('unpacks every worker file and the demo job', () => {
    for (const f of filesUnder('out/workers').filter((f) => !f.endsWith('.map'))) {
      expect(selectedBy(config.asarUnpack, f), f).toBe(true);
    }
  });

  it('unpacks every package a worker loads, with its own dependencies', () => {
    // Node resolves a child's imports from app.asar.unpacked and never looks inside app.asar.
    const needed = withRuntimeDeps(workerBundles.flatMap((b) => importedPackages(read(b.out))));
    for (const name of needed) {
      const probe = `node_modules/${name}/package.json`;
      expect(existsSync(join(root, probe)), `${name} is not installed`).toBe(true);
      expect(selectedBy(config.asarUnpack, probe), `${name} is imported by a worker but not in asarUnpack`).toBe(true);
    }
  });

  it('keeps the main, preload and renderer bundles inside app.asar', () => {
    expect(selectedBy(config.asarUnpack, 'out/preload/index.cjs')).toBe(false);
    expect(selectedBy(config.asarUnpack, 'package.json')).toBe(false);
  });
});
