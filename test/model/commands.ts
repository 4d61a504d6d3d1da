import fc from 'fast-check';
import type { World } from './world.js';

// The user's moves, as fast-check commands. The model only bounds the run (restarts); what the
// supervisor does with each move is judged by the invariants the world checks after every step.

export interface Model {
  restarts: number;
}

type Step = fc.AsyncCommand<Model, World>;

/** A task number in 1..8, folded onto the job's tasks at run time (the job is generated apart). */
const taskIndex = fc.integer({ min: 1, max: 8 });
const seqOf = (w: World, i: number) => ((i - 1) % w.tasks) + 1;

function step(label: string, run: (w: World) => Promise<void>, check: (m: Model) => boolean = () => true): Step {
  return { check, run: (_m, w) => run(w), toString: () => label };
}

const call = (label: string, method: Parameters<World['call']>[1], args: unknown = {}) => step(label, (w) => w.call(label, method, args));
const onTask = (name: string, method: Parameters<World['call']>[1], extra: Record<string, unknown> = {}) =>
  taskIndex.map((i) => {
    const label = `${name}(${i}${Object.values(extra).map((x) => `, ${String(x)}`).join('')})`;
    return step(label, (w) => w.call(label, method, { seq: seqOf(w, i), ...extra }));
  });

export const commandArbs: fc.Arbitrary<Step>[] = [
  fc.constant(call('startJob', 'startJob')),
  fc.constant(call('startJob', 'startJob')),
  fc.integer({ min: 50, max: 1500 }).map((ms) => step(`wait ${ms}`, (w) => w.wait(ms))),
  fc.integer({ min: 50, max: 1500 }).map((ms) => step(`wait ${ms}`, (w) => w.wait(ms))),
  fc.integer({ min: 1, max: 4 }).map((n) => call(`resizePool(${n})`, 'resizePool', { size: n })),
  fc.constant(call('pauseDispatch', 'pauseDispatch')),
  fc.constant(call('resumeDispatch', 'resumeDispatch')),
  onTask('pauseTask', 'pauseTask'),
  onTask('resumeTask', 'resumeTask'),
  fc.constantFrom('graceful', 'force').chain((mode) => onTask('killTask', 'killTask', { mode })),
  onTask('retryTask', 'retryTask'),
  fc.constantFrom('drain', 'graceful', 'force').map((mode) => call(`stopJob(${mode})`, 'stopJob', { mode })),
  fc.tuple(fc.constantFrom('resume' as const, 'resume-failed' as const), fc.constantFrom(300, 5000)).map(([mode, grace]) => ({
    check: (m: Model) => m.restarts < 2,
    run: async (m: Model, w: World) => {
      m.restarts++;
      await w.restart(mode, grace);
    },
    toString: () => `restart(--${mode}, grace ${grace} ms)`,
  })),
  fc.tuple(fc.constantFrom('resume' as const, 'resume-failed' as const), fc.integer({ min: 200, max: 2500 })).map(([mode, after]) => ({
    check: (m: Model) => m.restarts < 2,
    run: async (m: Model, w: World) => {
      m.restarts++;
      await w.crash(mode, after);
    },
    toString: () => `crash(after ${after} ms, then --${mode})`,
  })),
];
