import { describe, expect, it } from 'vitest';
import {
  allowedHostNames, bearerToken, hostAllowed, isLoopbackHost, newToken, originAllowed, parseHostHeader,
  tokenFromProtocols, tokenMatches,
} from '../../../main/serve/security.js';

describe('serve security helpers', () => {
  it('makes 43-character base64url tokens, fresh each time', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(newToken()).not.toBe(a);
  });

  it('compares tokens exactly', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abd')).toBe(false);
    expect(tokenMatches('abc', 'abcd')).toBe(false);
    expect(tokenMatches('abc', '')).toBe(false);
    expect(tokenMatches('abc', null)).toBe(false);
  });

  it('knows loopback hosts', () => {
    for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['0.0.0.0', '192.168.1.2', 'localhost.evil.com', '::']) expect(isLoopbackHost(h)).toBe(false);
  });

  it('parses Host headers', () => {
    expect(parseHostHeader('127.0.0.1:7420')).toEqual({ name: '127.0.0.1', port: 7420 });
    expect(parseHostHeader('[::1]:80')).toEqual({ name: '[::1]', port: 80 });
    expect(parseHostHeader('LocalHost')).toEqual({ name: 'localhost', port: null });
    expect(parseHostHeader('a b')).toBeNull();
    expect(parseHostHeader('user@host:1')).toBeNull();
    expect(parseHostHeader(undefined)).toBeNull();
  });

  it('allows the bound host and loopback names with the bound port only', () => {
    const names = allowedHostNames('127.0.0.1');
    expect(hostAllowed('127.0.0.1:7420', names, 7420)).toBe(true);
    expect(hostAllowed('localhost:7420', names, 7420)).toBe(true);
    expect(hostAllowed('[::1]:7420', names, 7420)).toBe(true);
    expect(hostAllowed('localhost:7421', names, 7420)).toBe(false);
    expect(hostAllowed('localhost', names, 7420)).toBe(false);
    expect(hostAllowed('rebind.evil.com:7420', names, 7420)).toBe(false);
    expect(hostAllowed('192.168.1.9:7420', allowedHostNames('192.168.1.9'), 7420)).toBe(true);
  });

  it('allows only the dashboard origin', () => {
    const names = allowedHostNames('127.0.0.1');
    expect(originAllowed('http://127.0.0.1:7420', names, 7420)).toBe(true);
    expect(originAllowed('http://localhost:7420', names, 7420)).toBe(true);
    for (const o of ['https://127.0.0.1:7420', 'http://127.0.0.1:7421', 'http://evil.com:7420', 'null', 'http://127.0.0.1:7420/x', 'file://', '', undefined]) {
      expect(originAllowed(o, names, 7420), String(o)).toBe(false);
    }
  });

  it('reads tokens from Authorization and Sec-WebSocket-Protocol', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
    expect(tokenFromProtocols('corral.v1, corral.token.abc')).toEqual({ token: 'abc', hasProtocol: true });
    expect(tokenFromProtocols('corral.token.abc')).toEqual({ token: 'abc', hasProtocol: false });
    expect(tokenFromProtocols(undefined)).toEqual({ token: null, hasProtocol: false });
  });
});
