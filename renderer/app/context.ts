import { createContext, useContext, useSyncExternalStore } from 'react';
import type { CorralApi } from '../../main/contract/api.js';
import type { Emitter, Value } from '../store/emitter.js';
import type { JobStore } from '../store/jobStore.js';
import type { SeriesStore } from '../store/seriesStore.js';
import type { TasksStore } from '../store/tasksStore.js';
import type { UiStore } from '../store/uiStore.js';
import type { Actions } from './actions.js';

export interface AppContextValue {
  api: CorralApi;
  job: JobStore;
  tasks: TasksStore;
  series: SeriesStore;
  ui: UiStore;
  actions: Actions;
  /** Electron's preload may offer this to turn a dropped File into a path. */
  pathForFile: ((file: File) => string) | null;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('useApp outside <AppContext.Provider>');
  return ctx;
}

/** Subscribes a component to one small store. */
export function useValue<T>(v: Value<T>): T {
  return useSyncExternalStore(v.subscribe, v.get);
}

/** Subscribes to a mutable store's version; read derived slices (cached per version) after it. */
export function useVersion(e: Emitter): number {
  return useSyncExternalStore(e.subscribe, e.getVersion);
}
