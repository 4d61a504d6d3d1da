import type { CorralApi } from '../../main/contract/api.js';
import { readToken, wsProtocols, wsUrl } from '../api/token.js';
import { createWsClient, type WsLike } from '../api/wsClient.js';
import { JobStore } from '../store/jobStore.js';
import { SeriesStore } from '../store/seriesStore.js';
import { TickSync } from '../store/sync.js';
import { TasksStore } from '../store/tasksStore.js';
import { UiStore } from '../store/uiStore.js';
import { createActions } from './actions.js';
import { desktopNotifier, pageNotifyEnv } from './desktopNotify.js';
import type { AppContextValue } from './context.js';

// Picks the api (Electron preload, the ?mock simulator, or the WebSocket to `corral serve`),
// wires the stores to it and starts syncing.

type ElectronCorral = CorralApi & { pathForFile?: (file: File) => string };

export async function boot(): Promise<AppContextValue> {
  const ui = new UiStore();
  ui.onAttention = desktopNotifier(pageNotifyEnv());
  const stores = { job: new JobStore(), tasks: new TasksStore(), series: new SeriesStore() };
  let api: CorralApi;
  let pathForFile: ((file: File) => string) | null = null;
  let onConnect: ((cb: () => void) => void) | null = null;

  const electron = (window as unknown as { corral?: ElectronCorral }).corral;
  if (new URLSearchParams(location.search).has('mock')) {
    const { createMockApi } = await import('../dev/mockApi.js');
    api = createMockApi();
    ui.connection.set({ state: 'open', attempts: 0, retryAt: null, everOpened: true });
  } else if (electron) {
    api = electron;
    pathForFile = electron.pathForFile ? (f) => electron.pathForFile?.(f) ?? '' : null;
    ui.connection.set({ state: 'open', attempts: 0, retryAt: null, everOpened: true });
  } else {
    const token = readToken({ location, storage: safeSession(), history });
    if (!token) {
      ui.connection.set({ state: 'no-token', attempts: 0, retryAt: null, everOpened: false });
      api = createWsClient({ url: 'ws://invalid.invalid/', create: () => deadSocket() }).api;
    } else {
      const client = createWsClient({ url: wsUrl(location), create: (url) => new WebSocket(url, wsProtocols(token)) as unknown as WsLike });
      api = client.api;
      // Mirror the transport's status into the UI store; resync on every (re)connect.
      onConnect = (cb) => {
        let wasOpen = false;
        const mirror = () => {
          const s = client.status.get();
          ui.connection.set(s);
          if (s.state === 'open' && !wasOpen) cb();
          wasOpen = s.state === 'open';
        };
        client.status.subscribe(mirror);
        mirror();
      };
    }
  }

  const sync = new TickSync({
    api,
    stores,
    schedule: (cb) => requestAnimationFrame(cb),
    onError: (message) => ui.notify({ level: 'error', kind: 'error', message, time: Date.now() }),
    onSnapshot: (s) => ui.restoreNotices(s.notices ?? []),
  });
  sync.start();
  api.onNotice((n) => ui.notify(n));
  if (onConnect) onConnect(() => void sync.resync());
  else if (ui.connection.get().state === 'open') void sync.resync();

  return { api, ...stores, ui, actions: createActions(api, ui, stores.job.settings), pathForFile };
}

function safeSession(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

// Without a token there is nothing to connect to; calls fail with the "not connected" Result.
function deadSocket(): WsLike {
  return { readyState: 3, send() {}, close() {}, onopen: null, onclose: null, onmessage: null, onerror: null };
}
