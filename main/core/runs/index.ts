export { listRuns, runTasks, summariseRun, runJoblogs } from './history.js';
export { pruneRuns, runsToPrune, retentionDefaults, type Retention } from './prune.js';
export { RunRecorder } from './recorder.js';
export { runHandlers } from './handlers.js';
export { jobDirName, joblogsRoot, runIdOf } from './paths.js';
export { parseRetention } from './retention.js';
