// The dashboard token travels in the URL fragment (never sent to servers). Keep it for reloads
// in sessionStorage and take it out of the address bar so it is not shared by accident.

export const tokenStorageKey = 'corral.token';

export interface TokenEnv {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  history: Pick<History, 'replaceState'> | null;
}

export function readToken(env: TokenEnv): string | null {
  const params = new URLSearchParams(env.location.hash.replace(/^#/, ''));
  const fromHash = params.get('token');
  if (fromHash) {
    try {
      env.storage?.setItem(tokenStorageKey, fromHash);
    } catch {
      // storage may be disabled; the token still works for this page's life
    }
    params.delete('token');
    const rest = params.toString();
    env.history?.replaceState(null, '', `${env.location.pathname}${env.location.search}${rest ? `#${rest}` : ''}`);
    return fromHash;
  }
  try {
    return env.storage?.getItem(tokenStorageKey) ?? null;
  } catch {
    return null;
  }
}

/** ws://host/ws on http pages, wss:// on https pages. The token never goes in the URL. */
export function wsUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws`;
}

/**
 * The token travels as a WebSocket subprotocol (main/serve/ws.ts), so it never appears in a
 * URL, a server log or the browser history; the server selects 'corral.v1'.
 */
export function wsProtocols(token: string): string[] {
  return ['corral.v1', `corral.token.${token}`];
}
