// The words a task's error uses for how its kill sequence ended (AttemptResult.error).
import type { LiveProcess } from './treeView.js';

/** "killed by KILL after TERM (kill sequence)": the step that ended the tree, not the shell wrapper's signal. */
export function killedByMessage(stepsSent: readonly string[]): string {
  const last = stepsSent[stepsSent.length - 1];
  return stepsSent.length > 1 ? `killed by ${last} after ${stepsSent.slice(0, -1).join(', ')} (kill sequence)` : `killed by ${last} (kill sequence)`;
}

/** "not verified gone after KILL: pid 123 (state D)": a tree the kill sequence gave up on is never `killed`. */
export function notGoneMessage(lastStep: string, survivors: readonly LiveProcess[]): string {
  const who = survivors.length > 0 ? survivors.map((p) => `pid ${p.pid} (state ${p.state})`).join(', ') : 'a process of the tree';
  return `not verified gone after ${lastStep}: ${who}`;
}
