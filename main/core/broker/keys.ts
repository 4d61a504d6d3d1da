// Every key and channel under one prefix, so a Redis ACL user (`~corral:* &corral:*`) can limit agents to them.
export const PREFIX = 'corral';
export const QUEUE = 'tasks';
export const EVENTS_STREAM = `${PREFIX}:${QUEUE}:events`;
export const CANCEL_CHANNEL = `${PREFIX}:cancel`;
export const SAMPLES_CHANNEL = `${PREFIX}:samples`;
export const lifeStream = (runId: string): string => `${PREFIX}:life:${runId}`;
export const agentKey = (name: string): string => `${PREFIX}:agent:${name}`;
/**
 * BullMQ refuses ':' in a custom id: run id and seq are joined by '-' (run ids are hex). A retry
 * (the job's `retries`) is a broker task of its own: `-r1`, `-r2`… after the seq.
 */
export const taskJobId = (runId: string, seq: number, retry = 0): string => (retry > 0 ? `${runId}-${seq}-r${retry}` : `${runId}-${seq}`);

export function seqOfJobId(runId: string, jobId: string): number | null {
  if (!jobId.startsWith(`${runId}-`)) return null;
  const m = /^([1-9]\d*)(?:-r[1-9]\d*)?$/.exec(jobId.slice(runId.length + 1));
  return m ? Number(m[1]) : null;
}

/** The URL with its password hidden, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(invalid URL)';
  }
}
