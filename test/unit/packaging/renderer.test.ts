// The production renderer (issue 14, item 11): the ?mock simulator is replaced by a stub, and the
// CSP is sent once, as a header, by app:// (Electron) and `corral serve`; no meta tag disagrees with it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appCsp } from '../../../main/app/window.js';
import { dashboardCsp } from '../../../main/serve/static.js';
import { leaveOutMock, noMockMessage, noMockModule } from '../../../renderer/vite.config.mjs';
import { root } from './support.js';

type Hook = (this: unknown, ...args: unknown[]) => unknown;
const call = (hook: unknown, ...args: unknown[]) => (hook as Hook).call({}, ...args);

describe('leaveOutMock', () => {
  it('replaces renderer/dev/mock* imports with a stub that says how to get the simulator back', () => {
    const p = leaveOutMock(false);
    expect(p.apply).toBe('build');
    expect(p.enforce).toBe('pre');
    expect(call(p.resolveId, '../dev/mockApi.js', '/r/app/boot.ts')).toBe(noMockModule);
    expect(call(p.resolveId, './dev/mockSim', '/r/x.ts')).toBe(noMockModule);
    expect(call(p.resolveId, '../store/tasksStore.js', '/r/app/boot.ts')).toBeNull();
    expect(call(p.load, noMockModule)).toBe(`export function createMockApi() { throw new Error(${JSON.stringify(noMockMessage)}); }\n`);
    expect(noMockMessage).toBe('the ?mock simulator is not in this build (build the renderer with CORRAL_RENDERER_MOCK=1)');
  });

  it('keeps the simulator when asked', () => {
    expect(call(leaveOutMock(true).resolveId, '../dev/mockApi.js', '/r/app/boot.ts')).toBeNull();
  });
});

describe('one CSP', () => {
  it('index.html has no meta CSP (a second policy would block the inline styles the header allows)', () => {
    expect(readFileSync(join(root, 'renderer/index.html'), 'utf8')).not.toMatch(/http-equiv=["']?Content-Security-Policy/i);
  });

  it('the headers of both transports allow the same script, style and image sources', () => {
    const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d] as const));
    const app = directives(appCsp);
    const serve = directives(dashboardCsp({ host: '127.0.0.1:7420' }));
    for (const d of ['script-src', 'style-src', 'img-src', 'font-src', 'object-src', 'base-uri', 'form-action', 'frame-ancestors']) {
      expect(app.get(d), d).toBe(serve.get(d));
    }
    expect(app.get('style-src')).toBe("style-src 'self' 'unsafe-inline'");
  });
});
