import { describe, expect, it } from 'vitest';
import { jobFileFromArgv } from '../../../main/app/lifecycle.js';
import { applyAppIdentity, appUserModelId, OpenQueue, pathFromArg, resourceEnv } from '../../../main/app/startup.js';
import { corralResources } from '../../../main/core/platform/resources.js';

describe('AUMID (item 4)', () => {
  it('is set on Windows, to the appId the installer tags shortcuts with', () => {
    const set: string[] = [];
    applyAppIdentity({ setAppUserModelId: (id) => set.push(id) }, 'win32');
    expect(set).toEqual(['app.corral.desktop']);
    expect(appUserModelId).toBe('app.corral.desktop');
  });

  it.each(['darwin', 'linux'] as const)('is left alone on %s', (platform) => {
    const set: string[] = [];
    applyAppIdentity({ setAppUserModelId: (id) => set.push(id) }, platform);
    expect(set).toEqual([]);
  });
});

describe('CORRAL_APP_ROOT (item 9)', () => {
  const env = { CORRAL_APP_ROOT: '/tmp/evil', HOME: '/home/u' };

  it('is ignored by an installed app: resources come from the package', () => {
    const r = corralResources({ isPackaged: true, resourcesPath: '/opt/Corral/resources', env: resourceEnv(env, true), platform: 'linux' });
    expect(r.packaged).toBe(true);
    expect(r.appRoot).toBe('/opt/Corral/resources/app.asar');
    expect(r.hostScript).toBe('/opt/Corral/resources/app.asar.unpacked/out/workers/host.mjs');
    expect(r.preloadScript).toBe('/opt/Corral/resources/app.asar/out/preload/index.cjs');
  });

  it('without the filter the folder would win (what the filter prevents)', () => {
    expect(corralResources({ isPackaged: true, resourcesPath: '/opt/Corral/resources', env, platform: 'linux' }).appRoot).toBe('/tmp/evil');
  });

  it('still works in development, and the rest of the environment is kept', () => {
    expect(resourceEnv(env, false)).toBe(env);
    expect(resourceEnv(env, true)).toEqual({ HOME: '/home/u' });
    expect(env.CORRAL_APP_ROOT).toBe('/tmp/evil'); // not modified in place
  });
});

describe('file:// URIs from desktop launchers (item 6)', () => {
  it('decodes spaces, percent-escapes and non-ASCII', () => {
    expect(pathFromArg('file:///home/u/My%20Jobs/nightly%20run.corral.yaml')).toBe('/home/u/My Jobs/nightly run.corral.yaml');
    expect(pathFromArg('file:///home/u/100%25/caf%C3%A9.yml')).toBe('/home/u/100%/café.yml');
    expect(pathFromArg('file://localhost/tmp/a.yaml')).toBe('/tmp/a.yaml');
  });

  it('leaves plain paths alone, even with a % in them', () => {
    expect(pathFromArg('/home/u/100%20.yaml')).toBe('/home/u/100%20.yaml');
    expect(pathFromArg('jobs/a b.yaml')).toBe('jobs/a b.yaml');
  });

  it('refuses other schemes, a remote host and an encoded slash', () => {
    expect(pathFromArg('https://example.com/a.yaml')).toBeNull();
    expect(pathFromArg('file://server/share/a.yaml')).toBeNull();
    expect(pathFromArg('file:///tmp/a%2Fb.yaml')).toBeNull();
  });

  it('jobFileFromArgv takes a %U argument as the job file', () => {
    expect(jobFileFromArgv(['/opt/Corral/corral', 'file:///home/u/My%20Jobs/a.corral.yaml'], '/', true)).toBe('/home/u/My Jobs/a.corral.yaml');
    expect(jobFileFromArgv(['/opt/Corral/corral', 'https://x/a.yaml', '/abs/b.yml'], '/', true)).toBe('/abs/b.yml');
    expect(jobFileFromArgv(['/opt/Corral/corral', 'file:///tmp/notes.txt'], '/', true)).toBeNull();
  });
});

describe('open-file before ready (item 6)', () => {
  it('queues files until the supervisor exists, opens them in order, once each', () => {
    const q = new OpenQueue();
    const opened: string[] = [];
    q.push('/a.yaml');
    q.push('/b.yaml');
    expect(opened).toEqual([]);
    q.start((f) => opened.push(f));
    expect(opened).toEqual(['/a.yaml', '/b.yaml']);
    q.push('/c.yaml'); // after start: at once
    expect(opened).toEqual(['/a.yaml', '/b.yaml', '/c.yaml']);
  });

  it('an opener that throws on one file does not lose the ones queued after it', () => {
    const q = new OpenQueue();
    const opened: string[] = [];
    q.push('/bad.yaml');
    q.push('/good.yaml');
    expect(() => q.start((f) => { opened.push(f); if (f === '/bad.yaml') throw new Error('x'); })).toThrow('x');
    expect(opened).toEqual(['/bad.yaml', '/good.yaml']);
  });
});
