// Shared by the packaging tests: the repo root, electron-builder.yml, and readers for bundles.
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export type BuilderConfig = Record<string, unknown> & {
  files: string[];
  asarUnpack: string[];
  electronFuses: Record<string, boolean>;
  mac: Record<string, unknown>;
  win: Record<string, unknown>;
  nsis: Record<string, unknown>;
  linux: Record<string, unknown> & { desktop?: { entry?: Record<string, string> } };
  deb: Record<string, unknown>;
};

export function readBuilderConfig(): BuilderConfig {
  return parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
}

export interface PackageJson {
  name: string;
  main: string;
  homepage?: string;
  author?: { name?: string; email?: string } | string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export function readPackageJson(dir = root): PackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** Each built bundle, the source it comes from (scripts/build.mjs), and what loads it at run time. */
export const BUNDLES = [
  { out: 'out/main/index.cjs', source: 'main/app/main.ts', runsIn: 'Electron main' },
  { out: 'out/preload/index.cjs', source: 'preload/index.ts', runsIn: 'preload' },
  { out: 'out/cli/corral.cjs', source: 'main/cli/index.ts', runsIn: 'corral CLI' },
  { out: 'out/workers/host.mjs', source: 'workers/host/index.ts', runsIn: 'module-task host (child)' },
  { out: 'out/workers/reaper.cjs', source: 'workers/reaper/index.ts', runsIn: 'reaper (child)' },
] as const;

const builtins = new Set(builtinModules);

/** Bare package names a bundle loads at run time: require/__require/import()/import…from/export…from. */
export function importedPackages(code: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /\b(?:require|__require)\s*\(\s*(["'])([^"'\n]+)\1\s*\)/g,
    /\bimport\s*\(\s*(["'])([^"'\n]+)\1\s*\)/g,
    /\b(?:import|export)\b[^;'"]*?\bfrom\s*(["'])([^"'\n]+)\1/g,
    /(?:^|[;}\s])import\s*(["'])([^"'\n]+)\1/gm,
  ];
  for (const re of patterns) {
    for (const m of code.matchAll(re)) {
      const spec = m[2];
      if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || /^[a-z]+:/i.test(spec)) continue;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (builtins.has(name)) continue;
      found.add(name);
    }
  }
  return [...found].sort();
}

/** A package and every package it depends on at run time, as installed in node_modules. */
export function withRuntimeDeps(names: string[]): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const dir = join(root, 'node_modules', name);
    if (!existsSync(join(dir, 'package.json'))) return;
    for (const dep of Object.keys(readPackageJson(dir).dependencies ?? {})) visit(dep);
  };
  names.forEach(visit);
  return [...seen].sort();
}

/** PNG width and height from the IHDR chunk. */
export function pngSize(buf: Buffer): { width: number; height: number } {
  if (buf.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG');
  if (buf.subarray(12, 16).toString('ascii') !== 'IHDR') throw new Error('PNG without IHDR first');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}
