// Orphan safety: the reaper process (first line) and the ledger of live tasks (second line).
export { startReaper, type Reaper, type ReaperEntry, type ReaperOptions } from './reaper.js';
export { openLedger, findLeftovers, killLeftovers, type Ledger, type LedgerOptions, type LeftoverOptions, type KillLeftoverOptions } from './ledger.js';
export type { LedgerEntry } from './ledgerFile.js';
export { stateDir, type StateDirOptions } from './stateDir.js';
export { groupKiller, type GroupKiller, type ReapSignal, type ReapTarget } from './groupKill.js';
export { processStartTime, probeProcess, type ProcessProbe, type ProcessProber } from '../stop/index.js';
export { reapMarkedAtClose } from './closeScan.js';
