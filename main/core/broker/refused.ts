// What a job may ask that a broker run cannot do yet: refused up front, by name, in one line —
// never run as if the key were not there.
import type { JobSpec } from '../job/types.js';

/** Why the job cannot run over a broker (the key and what to do instead), or null. */
export function brokerRefusal(spec: JobSpec): string | null {
  if (spec.command === null) return '--broker runs command jobs only (module and Python jobs run locally)';
  if (spec.timeout && 'percentOfMedian' in spec.timeout) {
    return `timeout: ${spec.timeout.percentOfMedian}% of the median cannot run over a broker yet; give a duration such as 10m`;
  }
  if (spec.concurrency.kind === 'percent') return `concurrency: ${spec.concurrency.percent}% of the cores cannot run over a broker (the agents' --slots decide); give a number or leave it out`;
  if (spec.delayMs > 0) return 'delay: cannot run over a broker yet (tasks start on several hosts)';
  if (spec.order !== 'input') return `order: ${spec.order} cannot run over a broker yet; leave it out`;
  if (spec.stuck.action !== 'warn') return `stuck.action: ${spec.stuck.action} cannot run over a broker yet (agents do not run the stuck detector); use warn or run locally`;
  return null;
}

/** `corral run` options a broker run does not do yet. */
export const BROKER_REFUSED_FLAGS: readonly string[] = [
  '--keep-order', '--results', '--tag', '--tagstring', '--line-buffer', '--ungroup', '--json', '--shuf', '--serve', '--tick', '--bar', '--eta', '--progress',
];
