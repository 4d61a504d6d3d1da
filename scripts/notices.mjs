// Writes out/THIRD_PARTY_NOTICES.txt: the licence of every package shipped in the app, found from
// what was actually built: the renderer bundle's source map (packages vite inlined) and the
// production "dependencies" with theirs (electron-builder copies those into node_modules).
// Run by scripts/build.mjs after the renderer; electron-builder.yml puts the file in resources/.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Package names under node_modules/ among a source map's sources (scoped names kept whole). */
export function packagesInSourceMap(mapText) {
  const found = new Set();
  for (const source of JSON.parse(mapText).sources ?? []) {
    const at = source.lastIndexOf('node_modules/');
    if (at < 0) continue;
    const parts = source.slice(at + 'node_modules/'.length).split('/');
    found.add(parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]);
  }
  return [...found].sort();
}

/** A package and its run-time dependencies, transitively, as installed under dir/node_modules. */
export function withDependencies(names, dir = root) {
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    const pkgFile = join(dir, 'node_modules', name, 'package.json');
    if (!existsSync(pkgFile)) return;
    seen.add(name);
    for (const dep of Object.keys(JSON.parse(readFileSync(pkgFile, 'utf8')).dependencies ?? {})) visit(dep);
  };
  names.forEach(visit);
  return [...seen].sort();
}

const licenceFile = /^(licen[cs]e|copying)(\.(md|txt|mit))?$/i;

/** One section per package: name, version, licence, and the licence text it ships (if any). */
export function noticesText(names, dir = root) {
  const sections = names.map((name) => {
    const folder = join(dir, 'node_modules', name);
    const pkg = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
    const file = readdirSync(folder).find((f) => licenceFile.test(f));
    const text = file ? readFileSync(join(folder, file), 'utf8').trim() : `(no licence file in the package; package.json says ${pkg.license ?? 'nothing'})`;
    return `${name} ${pkg.version}: ${pkg.license ?? 'UNKNOWN'}\n\n${text}`;
  });
  const head = `Corral includes the following third-party packages (${names.length}).\nCorral's own licence is in LICENSE.`;
  return [head, ...sections].join(`\n\n${'-'.repeat(72)}\n\n`) + '\n';
}

/** The packages the built app contains: renderer bundle (from its source maps) + production dependencies. */
export function shippedPackages(dir = root) {
  const assets = join(dir, 'out', 'renderer', 'assets');
  const maps = existsSync(assets) ? readdirSync(assets).filter((f) => f.endsWith('.js.map')) : [];
  if (maps.length === 0) throw new Error(`notices: no source maps in ${assets}; build the renderer first`);
  const inRenderer = maps.flatMap((m) => packagesInSourceMap(readFileSync(join(assets, m), 'utf8')));
  const deps = Object.keys(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies ?? {});
  return [...new Set([...inRenderer, ...withDependencies(deps, dir)])].sort();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const names = shippedPackages();
  writeFileSync(join(root, 'out', 'THIRD_PARTY_NOTICES.txt'), noticesText(names));
  console.log(`notices: ${names.length} packages in out/THIRD_PARTY_NOTICES.txt`);
}
