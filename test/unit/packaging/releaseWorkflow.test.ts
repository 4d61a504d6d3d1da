// The release workflow: valid for GitHub Actions (the schema check @action-validator/core runs
// offline, in place of actionlint), builds what electron-builder.yml configures on the three
// runners, and hands each runner only the signing secrets it uses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readBuilderConfig, root } from './support.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string | number>;
  env?: Record<string, string>;
}
interface Workflow {
  permissions: Record<string, string>;
  jobs: { package: { strategy: { matrix: { os: string[] } }; steps: Step[] } };
}

const text = readFileSync(join(root, '.github/workflows/release.yml'), 'utf8');
const workflow = parse(text) as Workflow;
const steps = workflow.jobs.package.steps;
const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const packaging = (os: string) => steps.find((s) => s.if === `runner.os == '${os}'` && s.run?.includes('electron-builder'));

// File extension of each electron-builder target.
const EXT: Record<string, string> = { nsis: 'exe', dmg: 'dmg', zip: 'zip', AppImage: 'AppImage', deb: 'deb' };
const targetName = (t: unknown) => (typeof t === 'string' ? t : (t as { target: string }).target);

describe('.github/workflows/release.yml against the GitHub Actions schema', () => {
  it('is valid', () => {
    expect(validateWorkflow(text).errors).toEqual([]);
  });

  it('the validator refuses a misspelt key and a job without runs-on (so the check above can fail)', () => {
    expect(validateWorkflow(text.replace('runs-on:', 'runs_on:')).errors.length).toBeGreaterThan(0);
    expect(validateWorkflow(text.replace('      - run: npm ci', '      - runn: npm ci')).errors.length).toBeGreaterThan(0);
  });
});

describe('.github/workflows/release.yml', () => {
  it('runs on ubuntu, macOS and Windows with Node 24', () => {
    expect(workflow.jobs.package.strategy.matrix.os).toEqual(['ubuntu-latest', 'macos-latest', 'windows-latest']);
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node'))?.with?.['node-version']).toBe(24);
  });

  it('installs with npm ci and tests before packaging', () => {
    const at = (pred: (s: Step) => boolean) => steps.findIndex(pred);
    const ci = at((s) => s.run === 'npm ci');
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(at((s) => s.run === 'npm test')).toBeGreaterThan(ci);
    expect(at((s) => s.run === 'npm run test:unit')).toBeGreaterThan(ci);
    for (const os of ['macOS', 'Windows', 'Linux']) {
      expect(steps.indexOf(packaging(os) as Step), os).toBeGreaterThan(at((s) => s.run === 'npm test'));
    }
  });

  it('builds the Mac packages for x64 and arm64 (the macos-latest runner is arm64)', () => {
    expect(packaging('macOS')?.run).toContain('electron-builder --mac --x64 --arm64 ');
    expect(packaging('Windows')?.run).toContain('electron-builder --win ');
    expect(packaging('Linux')?.run).toContain('electron-builder --linux ');
  });

  it('Windows signs with WIN_CSC_LINK and never sees CSC_LINK (the Apple .p12)', () => {
    const env = packaging('Windows')?.env ?? {};
    expect(env.WIN_CSC_LINK).toBe('${{ secrets.WIN_CSC_LINK }}');
    expect(env.WIN_CSC_KEY_PASSWORD).toBe('${{ secrets.WIN_CSC_KEY_PASSWORD }}');
    expect(Object.keys(env).filter((k) => k.startsWith('CSC_') || k.startsWith('APPLE_'))).toEqual([]);
  });

  it('CSC_LINK and the notarisation secrets go to the macOS runner only', () => {
    expect(packaging('macOS')?.env?.CSC_LINK).toBe('${{ secrets.CSC_LINK }}');
    expect(packaging('macOS')?.env?.APPLE_TEAM_ID).toBe('${{ secrets.APPLE_TEAM_ID }}');
    expect(Object.keys(packaging('Linux')?.env ?? {})).toEqual(['GH_TOKEN']);
    const others = steps.filter((s) => s !== packaging('macOS'));
    expect(others.flatMap((s) => Object.keys(s.env ?? {})).filter((k) => /CSC_LINK$|^APPLE_/.test(k) && !k.startsWith('WIN_'))).toEqual([]);
  });

  it('publishes to GitHub Releases (the update feed) on a v* tag only, with write permission', () => {
    for (const os of ['macOS', 'Windows', 'Linux']) {
      const step = packaging(os) as Step;
      expect(step.run).toContain("--publish ${{ startsWith(github.ref, 'refs/tags/v') && 'always' || 'never' }}");
      expect(step.env?.GH_TOKEN).toBe('${{ secrets.GITHUB_TOKEN }}');
    }
    expect(workflow.permissions).toEqual({ contents: 'write' });
  });

  it('uploads one artifact pattern per target electron-builder.yml builds, and the update metadata', () => {
    const config = readBuilderConfig();
    const targets = [config.win.target, config.mac.target, config.linux.target].flat().map(targetName);
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
    const paths = String(upload?.with?.path).trim().split('\n');
    expect(paths.sort()).toEqual([...new Set(targets.map((t) => `dist/*.${EXT[t]}`)), 'dist/latest*.yml'].sort());
  });

  it('has dist scripts for each platform that never publish from a laptop', () => {
    expect(scripts.dist).toBe('npm run build && electron-builder --publish never');
    expect(scripts['dist:win']).toContain('electron-builder --win');
    expect(scripts['dist:mac']).toContain('electron-builder --mac --x64 --arm64');
    expect(scripts['dist:linux']).toContain('electron-builder --linux');
  });
});
