import type { KillStep } from '../job/types.js';

export interface KillStepProgress {
  /** Signal just sent, e.g. "TERM" */
  step: string;
  /** Next signal, or null after the last */
  next: string | null;
  /** Epoch ms when the next step fires, or null */
  nextAt: number | null;
}

export interface KillSequenceOptions {
  steps: readonly KillStep[];
  send: (signal: string) => void | Promise<void>;
  /** True once every pid of the tree is verified gone */
  isGone: () => boolean | Promise<boolean>;
  onStep?: (progress: KillStepProgress) => void;
  /** Aborting stops the escalation (e.g. the supervisor is quitting and kills by itself) */
  signal?: AbortSignal;
  pollMs?: number;
  /** How long to keep checking after the last step before reporting "not gone" */
  finalWaitMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface KillSequenceResult {
  stepsSent: string[];
  /** The step after which the tree was verified gone; null when it was gone before any, or never */
  endedBy: string | null;
  gone: boolean;
  /** Steps whose send failed (the sequence escalated past them), e.g. "KILL: cannot send …" */
  failures: string[];
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * GNU parallel's --termseq: send each step, wait up to its wait for the tree to vanish,
 * escalate; after the last step keep checking for finalWaitMs (default 10 s).
 */
export async function runKillSequence(opts: KillSequenceOptions): Promise<KillSequenceResult> {
  const pollMs = opts.pollMs ?? 50;
  const finalWaitMs = opts.finalWaitMs ?? 10_000;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? wait;
  const stepsSent: string[] = [];
  const failures: string[] = [];
  const result = (gone: boolean): KillSequenceResult => ({ stepsSent, endedBy: gone ? (stepsSent.at(-1) ?? null) : null, gone, failures });

  if (await opts.isGone()) return result(true);
  for (let i = 0; i < opts.steps.length; i++) {
    if (opts.signal?.aborted) return result(await opts.isGone());
    const step = opts.steps[i];
    const last = i === opts.steps.length - 1;
    stepsSent.push(step.signal);
    let waitMs = last ? Math.max(step.waitMs, finalWaitMs) : step.waitMs;
    try {
      await opts.send(step.signal);
    } catch (err) {
      // A step that cannot be sent must not stall the sequence: note it and go on to the next at once.
      failures.push(`${step.signal}: ${(err as Error).message}`);
      if (!last) waitMs = 0;
    }
    const deadline = now() + waitMs;
    opts.onStep?.({ step: step.signal, next: last ? null : opts.steps[i + 1].signal, nextAt: last ? null : deadline });
    for (;;) {
      if (await opts.isGone()) return result(true);
      if (opts.signal?.aborted) return result(false);
      const left = deadline - now();
      if (left <= 0) break;
      await sleep(Math.min(pollMs, left));
    }
  }
  return result(await opts.isGone());
}
