// scripts/notices.mjs: the third-party notices come from what was built, not from a hand-kept list.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { noticesText, packagesInSourceMap, shippedPackages, withDependencies } from '../../../scripts/notices.mjs';

const dir = mkdtempSync(join(tmpdir(), 'corral-notices-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pkg = (name: string, json: object, licence?: [string, string]) => {
  mkdirSync(join(dir, 'node_modules', name), { recursive: true });
  writeFileSync(join(dir, 'node_modules', name, 'package.json'), JSON.stringify({ name, ...json }));
  if (licence) writeFileSync(join(dir, 'node_modules', name, licence[0]), licence[1]);
};
pkg('alpha', { version: '1.2.3', license: 'MIT', dependencies: { beta: '^2' } }, ['LICENSE', 'MIT text of alpha\n']);
pkg('beta', { version: '2.0.0', license: 'ISC' }, ['licence.md', 'ISC text of beta']);
pkg('@s/gamma', { version: '0.1.0', license: 'Apache-2.0' });
writeFileSync(join(dir, 'package.json'), JSON.stringify({ dependencies: { alpha: '1' } }));
mkdirSync(join(dir, 'out/renderer/assets'), { recursive: true });
writeFileSync(
  join(dir, 'out/renderer/assets/index-x.js.map'),
  JSON.stringify({ sources: ['../../../node_modules/@s/gamma/index.js', '../../../renderer/main.tsx', '../../../node_modules/alpha/a.js'] }),
);

describe('notices', () => {
  it('reads package names from a source map, scoped ones whole, sources of our own left out', () => {
    expect(packagesInSourceMap(JSON.stringify({ sources: ['../node_modules/@s/gamma/x.js', '../renderer/a.tsx', '../node_modules/a/node_modules/b/c.js'] }))).toEqual(['@s/gamma', 'b']);
  });

  it('follows run-time dependencies', () => {
    expect(withDependencies(['alpha', 'missing'], dir)).toEqual(['alpha', 'beta']);
  });

  it('ships = renderer bundle + production dependencies', () => {
    expect(shippedPackages(dir)).toEqual(['@s/gamma', 'alpha', 'beta']);
  });

  it('quotes each licence file, and says so when a package has none', () => {
    const text = noticesText(['@s/gamma', 'alpha', 'beta'], dir);
    expect(text).toContain('alpha 1.2.3: MIT\n\nMIT text of alpha');
    expect(text).toContain('beta 2.0.0: ISC\n\nISC text of beta');
    expect(text).toContain('@s/gamma 0.1.0: Apache-2.0\n\n(no licence file in the package; package.json says Apache-2.0)');
    expect(text.startsWith('Corral includes the following third-party packages (3).')).toBe(true);
  });

  it('refuses to write notices before the renderer is built', () => {
    const empty = mkdtempSync(join(tmpdir(), 'corral-notices-empty-'));
    writeFileSync(join(empty, 'package.json'), '{}');
    expect(() => shippedPackages(empty)).toThrow(`notices: no source maps in ${join(empty, 'out/renderer/assets')}; build the renderer first`);
    rmSync(empty, { recursive: true });
  });
});
