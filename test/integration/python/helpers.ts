import { join } from 'node:path';
import { repoRoot, yamlList } from '../core/helpers.js';

export const pyFixtures = join(repoRoot, 'test/fixtures/python');
export const behave = join(pyFixtures, 'behave.py');

/** A python job over behave.py (or another fixture), inputs as a list. */
export function pyJob(inputs: string[], extra = '', target = `${behave}:behave`): string {
  const concurrency = /^concurrency:/m.test(extra) ? '' : 'concurrency: 1\n';
  return `name: python\npython: ${JSON.stringify(target)}\n${concurrency}inputs:\n  list: ${yamlList(inputs)}\n${extra}`;
}
