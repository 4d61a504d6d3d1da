import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { recordSignals } from '../support/processWatch.js';
import { commandArbs, type Model } from './commands.js';
import { jobPlan } from './jobs.js';
import { KnownTally } from './violations.js';
import { World } from './world.js';

// Random sequences of user moves against the real supervisor on real short processes, with the
// invariants of issue 9 checked on every tick and after every step. `npm test` runs a few runs
// on a fixed seed; `npm run test:model` searches longer. A failure prints the line that replays it.

const runs = Number(process.env.CORRAL_MODEL_RUNS ?? 24);
const seed = Number(process.env.CORRAL_MODEL_SEED ?? 20261130);
const path = process.env.CORRAL_MODEL_PATH;
/** Stop shrinking after this long: each replay runs real processes for seconds. */
const shrinkBudgetMs = Number(process.env.CORRAL_MODEL_SHRINK_MS ?? 180_000);

let current: World | null = null;
const known = new KnownTally();
const stats = { runs: 0, steps: 0, ms: 0 };

describe('the supervisor against its model', () => {
  const restoreKill = recordSignals((s) => current?.onSignal(s));
  const onRejection = (reason: unknown) =>
    current?.v.expect('no-unhandled-rejection', false, () => String((reason as Error)?.stack ?? reason));
  process.on('unhandledRejection', onRejection);
  afterAll(() => {
    restoreKill();
    process.off('unhandledRejection', onRejection);
    for (const line of known.summary()) console.warn(line);
    const perMin = stats.ms > 0 ? (60_000 / stats.ms) : 0;
    console.info(`model: ${stats.runs} runs, ${stats.steps} steps in ${(stats.ms / 1000).toFixed(0)} s (${(stats.runs * perMin).toFixed(1)} runs/min, ${(stats.steps * perMin).toFixed(0)} steps/min)`);
  });

  it(`keeps every invariant over ${runs} random runs (seed ${seed})`, async () => {
    let firstFailure: number | null = null;
    let label = '';
    const property = fc.asyncProperty(jobPlan, fc.commands(commandArbs, { maxCommands: 14, size: 'large' }), async (plan, cmds) => {
      // Once shrinking has run out of time, every further candidate is discarded: the smallest so far stands.
      fc.pre(firstFailure === null || Date.now() - firstFailure < shrinkBudgetMs);
      const started = Date.now();
      const world = await World.create(plan);
      current = world;
      label = `run ${stats.runs + 1}`;
      try {
        await fc.asyncModelRun(() => ({ model: { restarts: 0 } satisfies Model, real: world }), cmds);
        await world.finish();
      } catch (err) {
        firstFailure ??= Date.now();
        throw new Error(`${(err as Error).message}\n  steps: ${world.trace.join('; ')}`);
      } finally {
        current = null;
        await world.dispose();
        known.add(label, world.v.known);
        stats.runs++;
        stats.steps += world.v.step;
        stats.ms += Date.now() - started;
      }
    });
    const details = await fc.check(property, { seed, path, numRuns: runs, endOnFailure: process.env.CORRAL_MODEL_SHRINK === '0' });
    if (details.failed) {
      const strict = process.env.CORRAL_MODEL_STRICT ? `CORRAL_MODEL_STRICT=${process.env.CORRAL_MODEL_STRICT} ` : '';
      const replay = `${strict}CORRAL_MODEL_SEED=${details.seed} CORRAL_MODEL_PATH=${details.counterexamplePath} npm run test:model`;
      const example = details.counterexample ? fc.stringify(details.counterexample) : '(none)';
      console.error(`model failure after ${details.numRuns} run(s), ${details.numShrinks} shrink(s)\n  replay: ${replay}\n  shrunk: ${example}\n  ${String(details.errorInstance ?? '')}`);
    }
    expect(details.failed, details.failed ? `invariant violated; replay with CORRAL_MODEL_SEED=${details.seed} CORRAL_MODEL_PATH=${details.counterexamplePath}` : '').toBe(false);
  });
});
