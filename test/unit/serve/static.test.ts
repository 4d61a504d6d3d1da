import { afterAll, describe, expect, it } from 'vitest';
import { fakeRendererDir } from '../../support/rendererDir.js';
import { cacheControlFor, contentTypeFor, dashboardCsp, resolveStaticPath } from '../../../main/serve/static.js';

describe('static file resolution', () => {
  const renderer = fakeRendererDir();
  const dir = renderer.dir;
  afterAll(() => renderer.remove());

  it('maps / to index.html and files inside the folder', () => {
    expect(resolveStaticPath(dir, '/')).toMatch(/renderer[/\\]index\.html$/);
    expect(resolveStaticPath(dir, '/assets/app-1234.js?v=1')).toMatch(/app-1234\.js$/);
    expect(resolveStaticPath(dir, '/assets/%61pp-1234.js')).toMatch(/app-1234\.js$/);
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/link.txt', '/assets', '/a%00', '/%zz', '\\..\\secret.txt', 'index.html'])(
    'refuses %s',
    (p) => expect(resolveStaticPath(dir, p)).toBeNull(),
  );

  it('names content types and cache policy', () => {
    expect(contentTypeFor('x.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('x.CSS')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('x.bin')).toBe('application/octet-stream');
    expect(cacheControlFor('/assets/x-123.js')).toContain('immutable');
    expect(cacheControlFor('/index.html')).toBe('no-cache');
  });

  it('writes a CSP without remote origins or inline script', () => {
    const csp = dashboardCsp({ host: 'localhost:7420' });
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self' ws://localhost:7420;");
    expect(csp).not.toMatch(/unsafe-eval|https?:|\*/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });
});
