import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { electronOnlyEnv } from '../../../main/core/run/taskEnv.js';
import { cleanup, fixtures, runJob, taskOutput, yamlList } from './helpers.js';

// Issue 14, item 10: inside the app the supervisor (and the module host) run with Electron's
// variables; tasks and the programs they start must not inherit them.
afterEach(cleanup);

const electronEnv = Object.fromEntries(electronOnlyEnv.map((n) => [n, '1']));
const appEnv = { ...process.env, ...electronEnv, CORRAL_TEST_KEPT: 'kept' };

describe('Electron-only variables', () => {
  it('do not reach a module task, nor a child the module starts', async () => {
    const module = join(fixtures, 'childEnv.mjs');
    const names = [...electronOnlyEnv, 'CORRAL_TEST_KEPT'];
    const h = await runJob(`name: env\nmodule: ${JSON.stringify(module)}\nconcurrency: 1\ninputs:\n  list: ${yamlList(names)}\n`, { env: appEnv });
    names.forEach((name, i) => {
      const want = name === 'CORRAL_TEST_KEPT' ? 'kept' : 'unset';
      expect(h.task(i + 1).outcome, name).toBe('ok');
      expect(h.sup.taskResult(i + 1), name).toEqual({ child: want, module: want });
    });
  });

  it('do not reach a command task', async () => {
    const names = [...electronOnlyEnv, 'CORRAL_TEST_KEPT'];
    const script = names.map((n) => `printf '%s ' "${n}=\${${n}-unset}"`).join('; ');
    const h = await runJob(`name: env\ncommand: [sh, -c, ${JSON.stringify(script)}]\ninputs:\n  list: [x]\n`, { env: appEnv });
    expect(h.task(1).outcome).toBe('ok');
    expect(await taskOutput(h.sup, 1)).toBe(names.map((n) => `${n}=${n === 'CORRAL_TEST_KEPT' ? 'kept' : 'unset'} `).join(''));
  });
});
