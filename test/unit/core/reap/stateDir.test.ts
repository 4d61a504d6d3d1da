import { describe, expect, it } from 'vitest';
import { stateDir } from '../../../../main/core/reap/stateDir.js';

describe('stateDir', () => {
  it('prefers CORRAL_STATE_DIR on every platform', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(stateDir({ platform, env: { CORRAL_STATE_DIR: '/tmp/x' }, home: '/h' })).toBe('/tmp/x');
    }
  });
  it('uses XDG_STATE_HOME on Linux, else ~/.local/state', () => {
    expect(stateDir({ platform: 'linux', env: { XDG_STATE_HOME: '/xdg' }, home: '/home/u' })).toBe('/xdg/corral');
    expect(stateDir({ platform: 'linux', env: {}, home: '/home/u' })).toBe('/home/u/.local/state/corral');
    // A relative XDG path is invalid by the spec and ignored.
    expect(stateDir({ platform: 'linux', env: { XDG_STATE_HOME: 'rel' }, home: '/home/u' })).toBe('/home/u/.local/state/corral');
  });
  it('uses Application Support on macOS', () => {
    expect(stateDir({ platform: 'darwin', env: { XDG_STATE_HOME: '/xdg' }, home: '/Users/u' })).toBe('/Users/u/Library/Application Support/Corral');
  });
  it('uses LOCALAPPDATA on Windows, else the default under the profile', () => {
    expect(stateDir({ platform: 'win32', env: { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, home: 'C:\\Users\\u' })).toBe(
      'C:\\Users\\u\\AppData\\Local\\Corral',
    );
    expect(stateDir({ platform: 'win32', env: {}, home: 'C:\\Users\\u' })).toBe('C:\\Users\\u\\AppData\\Local\\Corral');
  });
});
