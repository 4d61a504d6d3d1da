import { enforced } from './knownBroken.js';

export interface Violation {
  invariant: string;
  detail: string;
  /** Commands run so far in this run, for the report */
  step: number;
}

/**
 * Collects invariant violations of one run. Enforced ones make the run fail at the next
 * checkpoint (after the step that broke it); known-broken ones are only kept for the report.
 */
export class Violations {
  readonly failing: Violation[] = [];
  readonly known: Violation[] = [];
  step = 0;

  expect(invariant: string, ok: boolean, detail: () => string): void {
    if (ok) return;
    const v = { invariant, detail: detail(), step: this.step };
    (enforced(invariant) ? this.failing : this.known).push(v);
  }

  /** Throws the first enforced violation (fast-check then shrinks the command list). */
  raise(): void {
    if (this.failing.length === 0) return;
    const lines = this.failing.slice(0, 8).map((v) => `[${v.invariant}] after step ${v.step}: ${v.detail}`);
    throw new Error(`invariant violated:\n  ${lines.join('\n  ')}`);
  }
}

/** Known-broken violations of every run of a test file, by invariant, for one summary line each. */
export class KnownTally {
  readonly #byName = new Map<string, { count: number; first: string }>();

  add(runLabel: string, vs: readonly Violation[]): void {
    for (const v of vs) {
      const e = this.#byName.get(v.invariant);
      if (e) e.count++;
      else this.#byName.set(v.invariant, { count: 1, first: `${runLabel}, step ${v.step}: ${v.detail}` });
    }
  }

  summary(): string[] {
    return [...this.#byName].map(([name, e]) => `known-broken ${name}: ${e.count} violation(s); first: ${e.first}`);
  }
}
