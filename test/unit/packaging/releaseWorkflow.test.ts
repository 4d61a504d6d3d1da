// The release workflow uploads what electron-builder.yml produces, on the three runners.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readBuilderConfig, root } from './support.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string | number>;
}
interface Workflow {
  jobs: { package: { strategy: { matrix: { os: string[] } }; steps: Step[] } };
}

const workflow = parse(readFileSync(join(root, '.github/workflows/release.yml'), 'utf8')) as Workflow;
const steps = workflow.jobs.package.steps;
const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

// File extension of each electron-builder target.
const EXT: Record<string, string> = { nsis: 'exe', dmg: 'dmg', zip: 'zip', AppImage: 'AppImage', deb: 'deb' };

describe('.github/workflows/release.yml', () => {
  it('runs on ubuntu, macOS and Windows with Node 24', () => {
    expect(workflow.jobs.package.strategy.matrix.os).toEqual(['ubuntu-latest', 'macos-latest', 'windows-latest']);
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node'))?.with?.['node-version']).toBe(24);
  });

  it('installs with npm ci and tests before packaging', () => {
    const runs = steps.map((s) => s.run ?? '');
    const ci = runs.findIndex((r) => r === 'npm ci');
    const pack = runs.findIndex((r) => r.startsWith('npm run dist'));
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(runs.findIndex((r) => r === 'npm test')).toBeGreaterThan(ci);
    expect(runs.findIndex((r) => r === 'npm run test:unit')).toBeGreaterThan(ci);
    expect(pack).toBeGreaterThan(ci);
    expect(scripts.dist).toBe('npm run build && electron-builder --publish never');
  });

  it('uploads one artifact pattern per target electron-builder.yml builds', () => {
    const config = readBuilderConfig();
    const targets = [config.win.target, config.mac.target, config.linux.target].flat() as string[];
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
    const paths = String(upload?.with?.path).trim().split('\n');
    expect(paths.sort()).toEqual(targets.map((t) => `dist/*.${EXT[t]}`).sort());
  });

  it('has dist scripts for each platform', () => {
    expect(scripts['dist:win']).toContain('electron-builder --win');
    expect(scripts['dist:mac']).toContain('electron-builder --mac');
    expect(scripts['dist:linux']).toContain('electron-builder --linux');
  });
});
