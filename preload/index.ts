import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { makePreloadApi, preloadMethodNames } from './api.js';

// Sandboxed preload (CommonJS bundle, may require only 'electron'): exposes window.corral.
contextBridge.exposeInMainWorld(
  'corral',
  makePreloadApi(ipcRenderer, preloadMethodNames, (file) => webUtils.getPathForFile(file as File)),
);
