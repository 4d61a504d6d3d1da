export { signalTree, pauseTree, resumeTree, toSignal, StopError } from './signalTree.js';
export type { SignalTarget, SignalDeps } from './signalTree.js';
export { runKillSequence } from './killSequence.js';
export type { KillSequenceOptions, KillSequenceResult, KillStepProgress } from './killSequence.js';
