export { startControlServer, startControlOrWarn, controlLimits, type ControlServer, type ControlSession } from './server.js';
export { connectControl, type RemoteService } from './client.js';
export { createAttachable, type AttachableService } from './attach.js';
export { readEntries, controlDir, socketPathFor, toSupervisorEntry } from './registry.js';
export { supervisorListHandlers } from './handlers.js';
