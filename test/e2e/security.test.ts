import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { closeBrowser, openPage, serve, type Served } from './helpers.js';

let served: Served | null = null;
let other: Server | null = null;
afterEach(async () => {
  await served?.stop();
  served = null;
  await new Promise((r) => (other ? other.close(r) : r(null)));
  other = null;
});
afterAll(closeBrowser);

/** A page on another port of the same machine: a different origin, as a malicious site would be. */
async function foreignPage(): Promise<string> {
  other = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>elsewhere</title>');
  });
  await new Promise<void>((r) => other!.listen(0, '127.0.0.1', r));
  const addr = other.address() as { port: number };
  return `http://127.0.0.1:${addr.port}/`;
}

describe('corral serve refuses what lacks the token or comes from elsewhere', () => {
  it('serves the static page without the token but refuses API requests without it', async () => {
    served = await serve(['--paused', '--demo']);
    const page = await fetch(served.origin + '/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const noToken = await fetch(served.origin + '/api/snapshot');
    expect(noToken.status).toBe(401);
    expect(await noToken.text()).toBe('corral: missing or wrong token (open the URL printed by `corral serve`)');
    const wrong = await fetch(served.origin + '/api/snapshot', { headers: { Authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const right = await fetch(served.origin + '/api/snapshot', { headers: { Authorization: `Bearer ${served.token}` } });
    expect(right.status).toBe(200);
    expect(((await right.json()) as { ok: boolean }).ok).toBe(true);
  });

  it('refuses a WebSocket without the token, and one from another origin even with it', async () => {
    served = await serve(['--paused', '--demo']);
    const foreign = await openPage(await foreignPage());
    const attempt = (protocols: string[]) =>
      foreign.evaluate(
        ({ url, protocols }) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(url, protocols);
            ws.onopen = () => resolve('open');
            ws.onclose = (e) => resolve(`closed ${e.code}`);
          }),
        { url: served!.origin.replace('http', 'ws') + '/ws', protocols },
      );
    expect(await attempt(['corral.v1', `corral.token.${served.token}`])).toBe('closed 1006');
    expect(served.stderr()).toContain('refused a WebSocket from origin http://127.0.0.1:');

    // From the dashboard's own origin: without the token refused, with it accepted.
    const own = await openPage(served.origin + '/');
    const fromOwn = (protocols: string[]) =>
      own.evaluate(
        ({ url, protocols }) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(url, protocols);
            ws.onopen = () => {
              resolve('open');
              ws.close();
            };
            ws.onclose = (e) => resolve(`closed ${e.code}`);
          }),
        { url: served!.origin.replace('http', 'ws') + '/ws', protocols },
      );
    expect(await fromOwn(['corral.v1'])).toBe('closed 1006');
    expect(await fromOwn(['corral.v1', 'corral.token.wrong'])).toBe('closed 1006');
    expect(await fromOwn(['corral.v1', `corral.token.${served.token}`])).toBe('open');
  });

  it('refuses a request whose Host header is not the bound host (DNS rebinding)', async () => {
    served = await serve(['--paused', '--demo']);
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL(served!.origin);
      const req = request({ host: u.hostname, port: u.port, path: '/', headers: { Host: `evil.example:${u.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });
});
