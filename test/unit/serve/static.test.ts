import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheControlFor, contentTypeFor, dashboardCsp, resolveStaticPath } from '../../../main/serve/static.js';

describe('static file resolution', () => {
  const root = mkdtempSync(join(tmpdir(), 'corral-static-'));
  const dir = join(root, 'renderer');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), 'x');
  writeFileSync(join(dir, 'assets', 'a.js'), 'x');
  writeFileSync(join(root, 'secret'), 'x');
  symlinkSync(join(root, 'secret'), join(dir, 'link'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('maps / to index.html and files inside the folder', () => {
    expect(resolveStaticPath(dir, '/')).toMatch(/renderer[/\\]index\.html$/);
    expect(resolveStaticPath(dir, '/assets/a.js?v=1')).toMatch(/a\.js$/);
    expect(resolveStaticPath(dir, '/assets/%61.js')).toMatch(/a\.js$/);
  });

  it.each(['/../secret', '/%2e%2e/secret', '/assets/..%2f..%2fsecret', '/link', '/assets', '/a%00', '/%zz', '\\..\\secret', 'index.html'])(
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
