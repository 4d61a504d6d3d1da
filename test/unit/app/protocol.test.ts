import { afterAll, describe, expect, it } from 'vitest';
import { fakeRendererDir } from '../../support/rendererDir.js';
import { resolveAppRequest } from '../../../main/app/protocol.js';
import { appCsp } from '../../../main/app/window.js';

describe('app:// requests', () => {
  const renderer = fakeRendererDir();
  const dir = renderer.dir;
  afterAll(() => renderer.remove());

  it('serves files of the renderer folder with the CSP', () => {
    const index = resolveAppRequest('app://corral/', dir);
    expect(index?.file).toMatch(/index\.html$/);
    expect(index?.headers).toEqual({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': appCsp,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    });
    expect(resolveAppRequest('app://corral/assets/app-1234.js?x=1', dir)?.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
  });

  it.each([
    'app://corral/../secret.txt',
    'app://corral/%2e%2e/secret.txt',
    'app://corral/assets/..%2f..%2fsecret.txt',
    'app://corral/assets/..%5c..%5csecret.txt',
    'app://corral/link.txt',
    'app://corral/assets',
    'app://other/index.html',
    'file:///etc/passwd',
    'app://corral/%zz',
  ])('refuses %s', (u) => expect(resolveAppRequest(u, dir)).toBeNull());
});
