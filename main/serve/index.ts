import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { CorralService } from '../contract/index.js';
import { guardedCall } from '../contract/index.js';
import {
  allowedHostNames, bearerToken, hostAllowed, isLoopbackHost, isWildcardHost, newToken, originAllowed,
  tokenFromProtocols, tokenMatches, urlHost, wsProtocol,
} from './security.js';
import { cacheControlFor, contentTypeFor, resolveStaticPath, securityHeaders } from './static.js';
import { createWsHub, wsLimits } from './ws.js';
import { createMetrics, type MetricsJobs } from './metrics.js';

// `corral serve`'s transport: the built renderer over HTTP, the contract over a WebSocket
// (protocol in ws.ts), and two read-only API routes, all behind the Host check; data behind the token.

export interface ServeOptions {
  service: CorralService;
  /** Default 127.0.0.1. A non-loopback address logs a warning. */
  host?: string;
  /** Default 7420; 0 picks a free port. */
  port?: number;
  rendererDir: string;
  /** Default: 32 fresh random bytes, base64url */
  token?: string;
  log?: (line: string) => void;
  /** Serve Prometheus metrics on /metrics (behind the same bearer token as /api/*) */
  metrics?: boolean;
  /** The live jobs the metrics cover (every one, labelled job); without it, the one `service` shows */
  jobs?: MetricsJobs;
}

export interface RunningServer {
  /** http://HOST:PORT/#token=… — the dashboard URL to print */
  url: string;
  token: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

export const serveMessages = Object.freeze({
  badHost: 'corral: unexpected Host header (DNS rebinding protection)',
  badToken: 'corral: missing or wrong token (open the URL printed by `corral serve`)',
  badOrigin: 'corral: WebSocket origin not allowed',
  noProtocol: `corral: WebSocket subprotocol ${wsProtocol} required`,
  notFound: 'not found',
  badMethod: 'method not allowed',
  upgradeRequired: 'corral: /ws is a WebSocket endpoint',
});

export function nonLoopbackWarning(host: string, port: number): string {
  return `corral: warning: serving on ${host}:${port}, reachable from other machines; anyone with the URL's token can control your jobs`;
}

function refuseUpgrade(socket: Duplex, status: number, reason: string, message: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`);
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? newToken();
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const { service, rendererDir } = opts;
  let port = opts.port ?? 7420;
  let names = allowedHostNames(host);

  const text = (res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
    res.end(body);
  };

  const metrics = opts.metrics ? createMetrics(service, opts.jobs) : null;
  const api = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    if (!tokenMatches(token, bearerToken(req.headers.authorization))) return text(res, 401, serveMessages.badToken, { 'WWW-Authenticate': 'Bearer' });
    if (req.method !== 'GET') return text(res, 405, serveMessages.badMethod, { Allow: 'GET' });
    if (path === '/metrics' && metrics) {
      const body = await metrics.text();
      return text(res, 200, body, { 'Content-Type': metrics.contentType });
    }
    if (path === '/api/snapshot') {
      const result = await guardedCall(service, 'getSnapshot', undefined);
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
      return res.end(JSON.stringify(result));
    }
    if (path === '/api/joblog') {
      const result = await guardedCall(service, 'exportJoblog', undefined);
      if (!result.ok) return text(res, 409, result.error.message);
      const value = result.value as { text: string };
      return text(res, 200, value.text, { 'Content-Type': 'text/tab-separated-values; charset=utf-8', 'Content-Disposition': 'attachment; filename="joblog.tsv"' });
    }
    return text(res, 404, serveMessages.notFound);
  };

  const server = createServer((req, res) => {
    const hostHeader = req.headers.host;
    for (const [k, v] of Object.entries(securityHeaders(hostHeader ?? `${urlHost(host)}:${port}`))) res.setHeader(k, v);
    if (!hostAllowed(hostHeader, names, port)) return text(res, 421, serveMessages.badHost);
    const path = (req.url ?? '/').split('?')[0];
    if (path.startsWith('/api/') || (metrics && path === '/metrics')) {
      return void api(req, res, path).catch((err: unknown) => text(res, 500, `corral: ${(err as Error).message}`));
    }
    if (path === '/ws') return text(res, 426, serveMessages.upgradeRequired, { Upgrade: 'websocket' });
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, 405, serveMessages.badMethod, { Allow: 'GET, HEAD' });
    const file = resolveStaticPath(rendererDir, path);
    if (!file) return text(res, 404, serveMessages.notFound);
    res.writeHead(200, { 'Content-Type': contentTypeFor(file), 'Cache-Control': cacheControlFor(path) });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: wsLimits.maxPayload,
    handleProtocols: (protocols) => (protocols.has(wsProtocol) ? wsProtocol : false),
  });
  const hub = createWsHub(service, log);
  wss.on('connection', (ws) => hub.add(ws));

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if ((req.url ?? '').split('?')[0] !== '/ws') return refuseUpgrade(socket, 404, 'Not Found', serveMessages.notFound);
    if (!hostAllowed(req.headers.host, names, port)) return refuseUpgrade(socket, 421, 'Misdirected Request', serveMessages.badHost);
    const origin = req.headers.origin;
    if (!originAllowed(origin, names, port)) {
      log(`corral serve: refused a WebSocket from origin ${String(origin).slice(0, 200)}`);
      return refuseUpgrade(socket, 403, 'Forbidden', serveMessages.badOrigin);
    }
    const { token: given, hasProtocol } = tokenFromProtocols(req.headers['sec-websocket-protocol']);
    if (!tokenMatches(token, given)) return refuseUpgrade(socket, 401, 'Unauthorized', serveMessages.badToken);
    if (!hasProtocol) return refuseUpgrade(socket, 400, 'Bad Request', serveMessages.noProtocol);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => reject(new Error(`corral: cannot listen on ${urlHost(host)}:${port}: ${err.code ?? err.message}`));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : port;
  names = allowedHostNames(host);
  if (!isLoopbackHost(host)) log(nonLoopbackWarning(host, port));

  const shownHost = isWildcardHost(host) ? '127.0.0.1' : urlHost(host);
  let closing: Promise<void> | null = null;
  return {
    url: `http://${shownHost}:${port}/#token=${token}`,
    token,
    host,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        metrics?.close();
        hub.close(); // 1001 to every client; terminate the ones that do not answer the close
        setTimeout(() => wss.clients.forEach((ws) => ws.terminate()), 500).unref();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
