import { describe, expect, it } from 'vitest';
import { ipcChannel, methodNames } from '../../../main/contract/index.js';
import { registerIpc } from '../../../main/app/ipc.js';
import { makePreloadApi, preloadChannels, preloadMethodNames } from '../../../preload/api.js';
import { createFakeService } from '../../support/fakeService.js';
import { createIpcStandIn } from '../../support/ipcStandIn.js';

function setup(frameUrl: string | null = 'app://corral/index.html') {
  const service = createFakeService();
  const s = createIpcStandIn(frameUrl);
  const dispose = registerIpc(s.ipcMain, service, () => s.webContents);
  const api = makePreloadApi(s.ipcRenderer, preloadMethodNames, (f) => `/path/of/${String(f)}`);
  return { service, s, dispose, api };
}

describe('IPC adapter', () => {
  it('registers one handler per contract method and removes them all', () => {
    const { s, dispose, service } = setup();
    expect(s.handlerCount()).toBe(methodNames.length);
    expect(service.listenerCount('tick')).toBe(1);
    dispose();
    expect(s.handlerCount()).toBe(0);
    expect(service.listenerCount('tick')).toBe(0);
  });

  it.each(['file:///tmp/evil.html', 'https://example.com/', 'app://evil/index.html', null])('refuses calls from %s as FORBIDDEN', async (url) => {
    const { api, service } = setup(url);
    const r = await api.getSnapshot(undefined);
    expect(r).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: `refused a call from ${url ?? 'a frame that is gone'}: only app://corral/ pages may call Corral` },
    });
    expect(service.calls).toEqual([]); // never reached the supervisor
  });

  it('validates before calling the service', async () => {
    const { api, service } = setup();
    const r = await api.resizePool({ size: 0 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INVALID_ARGUMENT');
      expect(r.error.message).toBe('invalid arguments for resizePool');
      expect(r.error.details).toEqual([{ path: 'size', message: expect.any(String) }]);
    }
    expect(service.calls).toEqual([]);
  });

  it('turns a thrown service error into INTERNAL plain data', async () => {
    const { api, service } = setup();
    service.throwOnNext('listLeftovers', new TypeError('disk on fire'));
    expect(await api.listLeftovers(undefined)).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'listLeftovers failed: disk on fire' } });
    service.throwOnNext('listLeftovers', 'a string');
    expect(await api.listLeftovers(undefined)).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'listLeftovers failed: a string' } });
  });

  it('forwards ticks and notices to the window, and not after it is destroyed', async () => {
    const { api, service, s } = setup();
    const seen: string[] = [];
    const off = api.onTick((t) => seen.push(`tick ${t.n}`));
    api.onNotice((n) => seen.push(`notice ${n.message}`));
    service.tick();
    service.emitNotice({ level: 'info', kind: 'info', message: 'hi', time: 1 });
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(['tick 1', 'notice hi']);
    off();
    service.tick();
    s.webContents.destroy();
    service.tick(); // must not throw
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(['tick 1', 'notice hi']);
  });
});

describe('preload api', () => {
  it('has exactly the contract methods plus onTick, onNotice, pathForFile, on the contract channels', () => {
    const { api } = setup();
    expect(Object.keys(api).sort()).toEqual([...methodNames, 'onTick', 'onNotice', 'pathForFile'].sort());
    expect(preloadMethodNames.sort()).toEqual([...methodNames].sort());
    for (const m of methodNames) expect(preloadChannels.invoke(m)).toBe(ipcChannel.invoke(m));
    expect(preloadChannels.tick).toBe(ipcChannel.tick);
    expect(preloadChannels.notice).toBe(ipcChannel.notice);
    expect(Object.isFrozen(api)).toBe(true);
    expect(api.pathForFile('job.yaml')).toBe('/path/of/job.yaml');
  });

  it('hands listeners the payload only, never the IPC event', async () => {
    const { api, service } = setup();
    const args: unknown[][] = [];
    api.onTick((...a: unknown[]) => args.push(a));
    service.tick();
    await new Promise((r) => setImmediate(r));
    expect(args).toHaveLength(1);
    expect(args[0]).toHaveLength(1);
    expect(args[0][0]).toMatchObject({ n: 1 });
  });

  it('cannot send functions or class instances across (structured clone)', async () => {
    const { s } = setup();
    await expect(s.ipcRenderer.invoke('corral:getSnapshot', { f: () => 1 })).rejects.toThrow(/could not be cloned/);
  });
});
