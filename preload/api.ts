import type { CorralApi, MethodName, ipcChannel } from '../main/contract/api.js';
import type { Notice, Tick } from '../main/contract/types.js';

// window.corral, built from a narrow ipcRenderer so tests can run it over a stand-in.
// Never hands out ipcRenderer itself or its event objects (which carry `sender`).
// Type-only imports from the contract: its values pull in zod, which the preload does not need.

/** Every contract method, checked by the compiler against CorralMethods (a missing or extra name fails). */
const methodSet: { [M in MethodName]: true } = {
  loadJob: true, startJob: true, pauseDispatch: true, resumeDispatch: true, stopJob: true, killTask: true,
  killSlot: true, pauseTask: true, resumeTask: true, retryTask: true, resizePool: true, setSettings: true,
  getSnapshot: true, getTaskOutput: true, getTaskDetail: true, getTasks: true, exportJoblog: true, listLeftovers: true,
  killLeftovers: true, listRuns: true, getRunTasks: true, pruneRuns: true, resumeRun: true, listSupervisors: true,
  attachSupervisor: true, detachSupervisor: true,
  searchTasks: true, startRemaining: true,
  getStream: true,
  listJobs: true, newJob: true, selectJob: true, closeJob: true,
};
export const preloadMethodNames = Object.keys(methodSet) as MethodName[];

/** Same strings as ipcChannel in main/contract (the literal types make the compiler check tick/notice). */
export const preloadChannels: { invoke: (m: MethodName) => string; tick: typeof ipcChannel.tick; notice: typeof ipcChannel.notice } = {
  invoke: (m) => `corral:${m}`,
  tick: 'corral:event:tick',
  notice: 'corral:event:notice',
};

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export type PreloadApi = CorralApi & {
  /** The filesystem path of a dropped File (sandboxed pages cannot read File.path). */
  pathForFile(file: unknown): string;
};

export function makePreloadApi(ipc: IpcRendererLike, names: readonly MethodName[], pathForFile: (file: unknown) => string): PreloadApi {
  const subscribe = <T>(channel: string, cb: (payload: T) => void) => {
    const listener = (_event: unknown, payload: unknown) => cb(payload as T);
    ipc.on(channel, listener);
    return () => void ipc.removeListener(channel, listener);
  };
  const api: Record<string, unknown> = {};
  for (const m of names) api[m] = (args: unknown) => ipc.invoke(preloadChannels.invoke(m), args);
  api.onTick = (cb: (t: Tick) => void) => subscribe(preloadChannels.tick, cb);
  api.onNotice = (cb: (n: Notice) => void) => subscribe(preloadChannels.notice, cb);
  api.pathForFile = (file: unknown) => pathForFile(file);
  return Object.freeze(api) as unknown as PreloadApi;
}
