import type { MethodName } from '../../main/contract/api.js';

// The contract's method names, written renderer-side (the renderer may import the contract
// only as types). The checks below fail to compile if this list and the contract drift apart.

export const corralMethodNames = [
  'loadJob', 'startJob', 'pauseDispatch', 'resumeDispatch', 'stopJob', 'killTask', 'killSlot',
  'pauseTask', 'resumeTask', 'retryTask', 'resizePool', 'setSettings', 'getSnapshot',
  'getTaskOutput', 'getTaskDetail', 'getTasks', 'exportJoblog', 'listLeftovers', 'killLeftovers',
  'listRuns', 'getRunTasks', 'pruneRuns', 'resumeRun', 'listSupervisors', 'attachSupervisor', 'detachSupervisor',
  'searchTasks', 'startRemaining',
  'getStream',
  'listJobs', 'newJob', 'selectJob', 'closeJob',
] as const satisfies readonly MethodName[];

type Missing = Exclude<MethodName, (typeof corralMethodNames)[number]>;
export const methodListIsComplete: [Missing] extends [never] ? true : Missing = true;
