import { describe, expect, it } from 'vitest';
import { methodNames } from '../../../../main/contract/api.js';
import { corralMethodNames } from '../../../../renderer/api/methods.js';
import { readToken, tokenStorageKey, wsProtocols, wsUrl } from '../../../../renderer/api/token.js';

function env(hash: string, stored: string | null = null) {
  const store = new Map<string, string>(stored ? [[tokenStorageKey, stored]] : []);
  const replaced: string[] = [];
  return {
    store,
    replaced,
    env: {
      location: { hash, pathname: '/', search: '' },
      storage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) },
      history: { replaceState: (_d: unknown, _u: string, url?: string | URL | null) => void replaced.push(String(url)) },
    },
  };
}

describe('readToken', () => {
  it('takes the token from the fragment, stores it and strips it from the address', () => {
    const e = env('#token=abc123');
    expect(readToken(e.env)).toBe('abc123');
    expect(e.store.get(tokenStorageKey)).toBe('abc123');
    expect(e.replaced).toEqual(['/']);
  });
  it('falls back to the stored token after a reload', () => {
    expect(readToken(env('', 'kept').env)).toBe('kept');
    expect(readToken(env('').env)).toBeNull();
  });
});

describe('wsUrl', () => {
  it('follows the page scheme and carries the token as a subprotocol, never in the URL', () => {
    expect(wsUrl({ protocol: 'http:', host: '127.0.0.1:7420' })).toBe('ws://127.0.0.1:7420/ws');
    expect(wsUrl({ protocol: 'https:', host: 'h' })).toBe('wss://h/ws');
    expect(wsProtocols('abc')).toEqual(['corral.v1', 'corral.token.abc']);
  });
});

describe('corralMethodNames', () => {
  it('matches the contract at run time too', () => {
    expect([...corralMethodNames].sort()).toEqual([...methodNames].sort());
  });
});
