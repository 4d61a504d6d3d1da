import fc from 'fast-check';
import { join } from 'node:path';

// The jobs the model runs: a few short real tasks of every kind, tight stuck windows, small pools.

export interface JobPlan {
  kind: 'command' | 'module';
  /** Task inputs: KIND:SECONDS[:CODE] (see fixtures/task.sh and fixtures/task.mjs) */
  inputs: string[];
  pool: number;
  tickMs: number;
  timeout: string | null;
  retries: number;
  retryDelay: string;
  halt: string;
  kill: string;
  stuckAction: 'warn' | 'kill' | 'retry';
  /** Module jobs: inputs sent to a host at a time (with the prefetched starts behind them) */
  chunksize: number;
}

export const fixtureDir = join(__dirname, 'fixtures');
/** The stuck windows: short enough to fire on idle tasks within a run. */
export const CPU_IDLE_MS = 1000;

const secs = fc.constantFrom('0.05', '0.2', '0.5', '1.2', '2');
const code = fc.constantFrom('0', '0', '1', '3');

const commandTask = fc.oneof(
  fc.tuple(fc.constantFrom('ok', 'trap', 'ignore', 'orphan', 'busy'), secs, code).map(([k, s, c]) => `${k}:${s}:${c}`),
  secs.map((s) => `busy:${s}`),
);
const moduleTask = (hangs: boolean) =>
  fc.oneof(
    fc.tuple(fc.constantFrom('ok', 'throw', 'exit', 'spin', 'block'), secs, code).map(([k, s, c]) => `${k}:${s}:${c}`),
    ...(hangs ? [fc.constant('hang:0')] : []),
  );

export const jobPlan: fc.Arbitrary<JobPlan> = fc
  .record({
    kind: fc.constantFrom('command' as const, 'module' as const),
    pool: fc.integer({ min: 1, max: 4 }),
    tickMs: fc.constantFrom(100, 150, 250),
    timeout: fc.constantFrom(null, '1500ms', '3s'),
    retries: fc.constantFrom(0, 0, 1),
    retryDelay: fc.constantFrom('0s', '200ms'),
    halt: fc.constantFrom('never', 'never', 'never', 'now,fail=2', 'soon,fail=1'),
    // PROF and VTALRM end a process by default like TERM, but are rarer names for the joblog's Signal column.
    kill: fc.constantFrom('TERM,300ms,KILL', 'TERM,1s,KILL', 'INT,200ms,TERM,200ms,KILL', 'PROF,300ms,KILL', 'VTALRM,200ms,KILL'),
    stuckAction: fc.constantFrom('warn' as const, 'warn' as const, 'kill' as const, 'retry' as const),
    chunksize: fc.constantFrom(1, 1, 3),
    n: fc.integer({ min: 2, max: 7 }),
  })
  .chain((p) =>
    fc
      .array(p.kind === 'command' ? commandTask : moduleTask(p.timeout !== null), { minLength: p.n, maxLength: p.n })
      .map((inputs): JobPlan => {
        const { n: _n, ...rest } = p;
        return { ...rest, inputs };
      }),
  );

/** Every task process of a run carries this in its environment (so do its module hosts). */
export const MARKER_ENV = 'CORRAL_MODEL_RUN';

/** The job file for a plan (name unique per run so default joblog paths never meet). */
export function jobText(plan: JobPlan, name: string): string {
  const what = plan.kind === 'command' ? `command: [sh, ${JSON.stringify(join(fixtureDir, 'task.sh'))}, "{}"]` : `module: ${JSON.stringify(join(fixtureDir, 'task.mjs'))}`;
  return [
    `name: ${name}`,
    what,
    `inputs:\n  list: [${plan.inputs.map((s) => JSON.stringify(s)).join(', ')}]`,
    `concurrency: ${plan.pool}`,
    ...(plan.kind === 'module' && plan.chunksize > 1 ? [`chunksize: ${plan.chunksize}`] : []),
    `timeout: ${plan.timeout ?? 'off'}`,
    `retries: ${plan.retries}`,
    `retryDelay: ${plan.retryDelay}`,
    `halt: ${JSON.stringify(plan.halt)}`,
    `kill: ${JSON.stringify(plan.kill)}`,
    `env: { ${MARKER_ENV}: ${JSON.stringify(name)} }`,
    `stuck: { cpuIdle: ${CPU_IDLE_MS}ms, silent: 1s, overdue: off, blocked: off, action: ${plan.stuckAction} }`,
    '',
  ].join('\n');
}

/** Tasks that keep a CPU busy for their whole life (never idle by the cpuIdle rule). */
export const isBusyInput = (input: string): boolean => input.startsWith('busy:') || input.startsWith('spin:');
