import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveAppRequest } from '../../../main/app/protocol.js';
import { appCsp } from '../../../main/app/window.js';

describe('app:// requests', () => {
  const root = mkdtempSync(join(tmpdir(), 'corral-app-'));
  const dir = join(root, 'renderer');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), 'x');
  writeFileSync(join(dir, 'assets', 'a.js'), 'x');
  writeFileSync(join(root, 'secret'), 'x');
  symlinkSync(join(root, 'secret'), join(dir, 'link'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('serves files of the renderer folder with the CSP', () => {
    const index = resolveAppRequest('app://corral/', dir);
    expect(index?.file).toMatch(/index\.html$/);
    expect(index?.headers).toEqual({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': appCsp,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    });
    expect(resolveAppRequest('app://corral/assets/a.js?x=1', dir)?.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
  });

  it.each([
    'app://corral/../secret',
    'app://corral/%2e%2e/secret',
    'app://corral/assets/..%2f..%2fsecret',
    'app://corral/assets/..%5c..%5csecret',
    'app://corral/link',
    'app://corral/assets',
    'app://other/index.html',
    'file:///etc/passwd',
    'app://corral/%zz',
  ])('refuses %s', (u) => expect(resolveAppRequest(u, dir)).toBeNull());
});
