import type { CorralApi, CorralService } from '../../main/contract/index.js';
import { registerIpc } from '../../main/app/ipc.js';
import { startServer } from '../../main/serve/index.js';
import { makePreloadApi, preloadChannels, preloadMethodNames } from '../../preload/api.js';
import { createIpcStandIn } from './ipcStandIn.js';
import type { IpcStandIn } from './ipcStandIn.js';
import { fakeRendererDir } from './rendererDir.js';
import { connectWsApi } from './wsClient.js';

// The two ways into a service, each giving the contract suite a CorralApi.

export interface TransportHarness {
  api: CorralApi;
  /** Calls a method by name, bypassing the typed api (unknown methods); may reject. */
  rawCall(method: string, args: unknown): Promise<unknown>;
  /** IPC has no handler for an unknown channel (invoke rejects); the WebSocket answers an error. */
  unknownMethod: 'rejects' | 'error-result';
  close(): Promise<void>;
}

export function ipcHarness(service: CorralService): TransportHarness & { standIn: IpcStandIn } {
  const standIn = createIpcStandIn();
  const dispose = registerIpc(standIn.ipcMain, service, () => standIn.webContents);
  const api = makePreloadApi(standIn.ipcRenderer, preloadMethodNames, () => '/dropped/file.yaml');
  return {
    api,
    standIn,
    rawCall: (method, args) => standIn.ipcRenderer.invoke(preloadChannels.invoke(method as never), args),
    unknownMethod: 'rejects',
    close: async () => dispose(),
  };
}

export async function wsHarness(service: CorralService): Promise<TransportHarness & { url: string }> {
  const renderer = fakeRendererDir();
  const server = await startServer({ service, port: 0, rendererDir: renderer.dir, log: () => {} });
  const client = await connectWsApi(server.url);
  return {
    api: client.api,
    url: server.url,
    rawCall: (method, args) => client.rawCall(method, args),
    unknownMethod: 'error-result',
    async close() {
      await client.close();
      await server.close();
      renderer.remove();
    },
  };
}
