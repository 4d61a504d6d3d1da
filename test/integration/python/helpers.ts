import { join } from 'node:path';
import { repoRoot, yamlList } from '../core/helpers.js';

export const pyFixtures = join(repoRoot, 'test/fixtures/python');
export const behave = join(pyFixtures, 'behave.py');

/** A python job over behave.py (or another fixture), inputs as a list. */
export function pyJob(inputs: string[], extra = '', target = `${behave}:behave`): string {
  return `name: python\npython: ${JSON.stringify(target)}\nconcurrency: 1\ninputs:\n  list: ${yamlList(inputs)}\n${extra}`;
}
