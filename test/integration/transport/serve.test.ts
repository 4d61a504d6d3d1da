import { request } from 'node:http';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, serveMessages } from '../../../main/serve/index.js';
import type { RunningServer } from '../../../main/serve/index.js';
import { createFakeService } from '../../support/fakeService.js';
import { connectWsApi, tokenOf } from '../../support/wsClient.js';
import { fakeRendererDir } from '../../support/rendererDir.js';

// The trust boundary of `corral serve`, over real sockets: token, Host, Origin, traversal.

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function upgrade(port: number, opts: { protocols?: string[]; origin?: string; host?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, opts.protocols ?? [], {
      ...(opts.origin === undefined ? {} : { origin: opts.origin }),
      headers: opts.host ? { host: opts.host } : {},
    });
    ws.on('open', () => {
      ws.close();
      resolve({ status: 101, body: '' });
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('error', (err) => reject(err));
  });
}

describe('corral serve security', () => {
  const renderer = fakeRendererDir();
  const service = createFakeService();
  const logs: string[] = [];
  let server: RunningServer;
  let port: number;
  let token: string;
  let origin: string;

  beforeAll(async () => {
    server = await startServer({ service, port: 0, rendererDir: renderer.dir, log: (l) => logs.push(l) });
    port = server.port;
    token = tokenOf(server.url);
    origin = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await server.close();
    renderer.remove();
  });

  it('prints a URL with a fresh 32-byte base64url token in the fragment', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/#token=[A-Za-z0-9_-]{43}$`));
    expect(server.token).toBe(token);
    expect(logs).toEqual([]); // loopback: no warning
  });

  it('serves static files without the token, with content types and strict headers', async () => {
    const index = await get(port, '/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>Corral</title>');
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.headers['referrer-policy']).toBe('no-referrer');
    const csp = String(index.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${port}`);
    expect(csp).not.toMatch(/https?:|unsafe-eval/);
    const js = await get(port, '/assets/app-1234.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await get(port, '/', {}, 'HEAD')).status).toBe(200);
    expect((await get(port, '/', {}, 'POST')).status).toBe(405);
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/assets/..%5c..%5csecret.txt',
    '/link.txt',
    '/assets',
    '/%00index.html',
    '/%E0%A4%A',
    '/nope.js',
  ])('answers 404 for %s', async (path) => {
    const r = await get(port, path);
    expect(r.status).toBe(404);
    expect(r.body).toBe(serveMessages.notFound);
  });

  it('refuses API routes without the right token', async () => {
    const none = await get(port, '/api/snapshot');
    expect(none.status).toBe(401);
    expect(none.body).toBe('corral: missing or wrong token (open the URL printed by `corral serve`)');
    expect((await get(port, '/api/snapshot', { authorization: 'Bearer wrong' })).status).toBe(401);
    const ok = await get(port, '/api/snapshot', { authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { job: null } });
    const log = await get(port, '/api/joblog', { authorization: `Bearer ${token}` });
    expect(log.body.startsWith('Seq\tHost')).toBe(true);
    expect((await get(port, '/api/nope', { authorization: `Bearer ${token}` })).status).toBe(404);
  });

  // PORT/OTHER stand for the bound port and another one (the port is known only after listen)
  const fill = (s: string) => s.replace('PORT', String(port)).replace('OTHER', String(port + 1));
  it.each(['evil.example', 'evil.example:PORT', '127.0.0.1:OTHER', 'attacker.localhost:PORT', '127.0.0.1'])(
    'refuses Host %s (DNS rebinding)',
    async (pattern) => {
      const host = fill(pattern);
      const r = await get(port, '/', { host });
      expect(r.status).toBe(421);
      expect(r.body).toBe('corral: unexpected Host header (DNS rebinding protection)');
      expect((await get(port, '/api/snapshot', { host, authorization: `Bearer ${token}` })).status).toBe(421);
      const ws = await upgrade(port, { protocols: ['corral.v1', `corral.token.${token}`], origin, host });
      expect(ws.status).toBe(421);
    },
  );

  it('accepts the loopback names as Host', async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) expect((await get(port, '/', { host })).status).toBe(200);
  });

  it('refuses a WebSocket without the token, with a wrong one, or without corral.v1', async () => {
    expect(await upgrade(port, { protocols: ['corral.v1'], origin })).toEqual({ status: 401, body: serveMessages.badToken });
    expect((await upgrade(port, { protocols: ['corral.v1', 'corral.token.x'], origin })).status).toBe(401);
    expect(await upgrade(port, { protocols: [`corral.token.${token}`], origin })).toEqual({
      status: 400,
      body: 'corral: WebSocket subprotocol corral.v1 required',
    });
    expect((await get(port, '/ws')).status).toBe(426);
  });

  it.each(['http://evil.example:PORT', 'http://127.0.0.1:OTHER', 'https://127.0.0.1:PORT', 'http://127.0.0.1', 'null', undefined])(
    'refuses a WebSocket from origin %s',
    async (pattern) => {
      const o = pattern === undefined ? undefined : fill(pattern);
      const r = await upgrade(port, { protocols: ['corral.v1', `corral.token.${token}`], origin: o });
      expect(r).toEqual({ status: 403, body: 'corral: WebSocket origin not allowed' });
    },
  );

  it('accepts the dashboard origin under each loopback name', async () => {
    for (const o of [origin, `http://localhost:${port}`, `http://[::1]:${port}`]) {
      expect((await upgrade(port, { protocols: ['corral.v1', `corral.token.${token}`], origin: o })).status).toBe(101);
    }
  });

  it('answers unreadable frames and thrown service errors with plain errors', async () => {
    const c = await connectWsApi(server.url);
    expect(await c.rawFrame('not json')).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'frame is not valid JSON' } });
    expect(await c.rawFrame('[1,2]')).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'frame is not an object' } });
    expect(await c.rawFrame('{"method":"getSnapshot"}')).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'frame has no integer id' } });
    service.throwOnNext('getSnapshot', new Error('boom'));
    expect(await c.api.getSnapshot(undefined)).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'getSnapshot failed: boom' } });
    expect((await c.api.getSnapshot(undefined)).ok).toBe(true);
    await c.close();
  });

  it('warns when bound to a non-loopback address', async () => {
    const lines: string[] = [];
    const s = await startServer({ service, host: '0.0.0.0', port: 0, rendererDir: renderer.dir, log: (l) => lines.push(l) });
    expect(lines).toEqual([
      `corral: warning: serving on 0.0.0.0:${s.port}, reachable from other machines; anyone with the URL's token can control your jobs`,
    ]);
    expect(s.url.startsWith(`http://127.0.0.1:${s.port}/#token=`)).toBe(true);
    await s.close();
  });

  it('says which address it could not listen on', async () => {
    await expect(startServer({ service, port, rendererDir: renderer.dir, log: () => {} })).rejects.toThrow(
      `corral: cannot listen on 127.0.0.1:${port}: EADDRINUSE`,
    );
  });
});
