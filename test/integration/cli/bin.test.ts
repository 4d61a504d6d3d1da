import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBin, repoRoot } from '../core/helpers.js';

// The machine's /usr/bin/node is Node 20 (end of life): the one real older Node at hand.
const OLD_NODE = '/usr/bin/node';

describe('bin/corral.cjs on a Node older than package.json engines', () => {
  it('says which Node it needs and which it got, exit 2, no stack trace', () => {
    const version = spawnSync(OLD_NODE, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
    expect(Number(version.split('.')[0])).toBeLessThan(22); // the premise of this test
    expect(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).engines.node).toBe('>=22.17.0');
    const r = spawnSync(OLD_NODE, [cliBin, 'run', '--demo'], { encoding: 'utf8' });
    expect([r.status, r.stdout, r.stderr]).toEqual([2, '', `corral: needs Node.js 22.17.0 or newer; this is Node.js ${version} (${OLD_NODE})\n`]);
  });

  it('runs on this Node', () => {
    const r = spawnSync(process.execPath, [cliBin, '--version'], { encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^corral \d+\.\d+\.\d+\n$/);
  });
});
