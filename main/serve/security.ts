import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { networkInterfaces, hostname } from 'node:os';

// The trust boundary of `corral serve`: a random token for everything that reads or changes
// state, the Host header against DNS rebinding, and the Origin of WebSocket upgrades.

/** 32 random bytes, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison: hash both sides so lengths never leak through timing either. */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

const loopbackNames = ['localhost', '127.0.0.1', '[::1]'];

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** A host as it appears in a URL/Host header: IPv6 literals in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * Host names a request may carry in its Host header (each with the bound port): the bound host
 * and the loopback names; for a wildcard bind also this machine's interface addresses and name.
 */
export function allowedHostNames(boundHost: string, extra: Iterable<string> = []): Set<string> {
  const names = new Set<string>([urlHost(boundHost).toLowerCase(), ...loopbackNames]);
  if (isWildcardHost(boundHost)) {
    for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) names.add(urlHost(i.address).toLowerCase());
    names.add(hostname().toLowerCase());
  }
  for (const e of extra) names.add(urlHost(e).toLowerCase());
  return names;
}

/** Splits a Host header into name and port; null when it is malformed. */
export function parseHostHeader(value: string | undefined): { name: string; port: number | null } | null {
  if (!value) return null;
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (!m) return null;
  return { name: m[1].toLowerCase(), port: m[2] === undefined ? null : Number(m[2]) };
}

/** The Host header must name an allowed host with the bound port (browsers always send the port unless it is 80). */
export function hostAllowed(value: string | undefined, names: Set<string>, port: number): boolean {
  const h = parseHostHeader(value);
  if (!h || !names.has(h.name)) return false;
  return (h.port ?? 80) === port;
}

/** A WebSocket's Origin must be the dashboard itself: http://<allowed host>:<port>. */
export function originAllowed(origin: string | undefined, names: Set<string>, port: number): boolean {
  if (!origin) return false;
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:' || u.pathname !== '/' || u.username || u.password) return false;
  const p = u.port === '' ? 80 : Number(u.port);
  return names.has(u.hostname.toLowerCase()) && p === port && origin === u.origin;
}

/** Reads the token from `Authorization: Bearer <token>`. */
export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m ? m[1] : null;
}

export const wsProtocol = 'corral.v1';
export const wsTokenPrefix = 'corral.token.';

/** Reads the token from `Sec-WebSocket-Protocol: corral.v1, corral.token.<token>`. */
export function tokenFromProtocols(header: string | undefined): { token: string | null; hasProtocol: boolean } {
  const list = (header ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const t = list.find((p) => p.startsWith(wsTokenPrefix));
  return { token: t ? t.slice(wsTokenPrefix.length) : null, hasProtocol: list.includes(wsProtocol) };
}
