import type { HaltRule } from '../job/types.js';

export interface HaltCounts {
  failed: number;
  ok: number;
  total: number;
}

/**
 * GNU parallel's --halt: fail=N / success=N / done=N counts tasks whose last attempt ended;
 * a percentage is of all tasks in the job, and needs at least 3 ended tasks like parallel.
 * Returns why the job halts, or null.
 */
export function shouldHalt(rule: HaltRule, c: HaltCounts): string | null {
  if (rule.when === 'never' || !rule.on) return null;
  const n = rule.on === 'fail' ? c.failed : rule.on === 'success' ? c.ok : c.failed + c.ok;
  const what = rule.on === 'fail' ? 'failed' : rule.on === 'success' ? 'succeeded' : 'ended';
  if (rule.count !== undefined && n >= rule.count) return `${n} task${n === 1 ? '' : 's'} ${what} (halt ${rule.when},${rule.on}=${rule.count})`;
  if (rule.percent !== undefined && c.failed + c.ok >= 3 && (n * 100) / c.total >= rule.percent) {
    return `${((n * 100) / c.total).toFixed(0)}% of tasks ${what} (halt ${rule.when},${rule.on}=${rule.percent}%)`;
  }
  return null;
}
