import { defineConfig } from 'vitest/config';

// Four suites: unit (pure, fast), integration (real processes), model (randomised command sequences
// against the real supervisor), e2e (Chromium via `corral serve`).
// Integration and e2e run files one at a time: they spawn real process trees on a 2-core machine.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          expect: { poll: { timeout: 15_000 } },
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // Model-based tests of the supervisor's state machine on real processes: a fixed seed and a
          // bounded number of runs in `npm test`; `npm run test:model` searches longer (CORRAL_MODEL_RUNS).
          name: 'model',
          include: ['test/model/**/*.test.ts'],
          environment: 'node',
          testTimeout: 900_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          // expect.poll's own default (1 s) is a timing assertion on a loaded 2-core machine: a page
          // that answers in 1.5 s is not wrong. Polls wait up to 15 s unless a test says otherwise.
          expect: { poll: { timeout: 15_000 } },
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
