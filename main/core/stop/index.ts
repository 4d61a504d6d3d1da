export { signalTree, signalTreeSync, pauseTree, resumeTree, toSignal } from './signalTree.js';
export type { SignalDeps, TreeTarget } from './signalTree.js';
export { runKillSequence } from './killSequence.js';
export type { KillSequenceOptions, KillSequenceResult, KillStepProgress } from './killSequence.js';
export { inspectTree, treeDeps, type LiveProcess, type TreeView, type TreeDeps } from './treeView.js';
export { probeProcess, processStartTime, sameProcess, type ProcessProbe, type ProcessProber, type TrackedProcess } from './liveness.js';
export { findMarkedProcesses, isKeptDaemon, keepDaemon, onKeptDaemon, taskMarker, TASK_MARKER_ENV } from './markerScan.js';
export { killedByMessage, notGoneMessage } from './messages.js';
