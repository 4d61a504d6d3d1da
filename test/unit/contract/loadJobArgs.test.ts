import { describe, expect, it } from 'vitest';
import { methodArgs } from '../../../main/contract/api.js';

// loadJob's demo: true for the embedded demo, 'python' for the Python one (issue 11), nothing else.
describe('loadJob arguments', () => {
  it('takes demo: true or demo: "python", alone', () => {
    expect(methodArgs.loadJob.safeParse({ demo: true }).success).toBe(true);
    expect(methodArgs.loadJob.safeParse({ demo: 'python' }).success).toBe(true);
    expect(methodArgs.loadJob.safeParse({ demo: 'ruby' }).success).toBe(false);
    const both = methodArgs.loadJob.safeParse({ demo: 'python', path: '/x.yaml' });
    expect(both.success).toBe(false);
    expect(both.error?.issues.map((i) => i.message)).toEqual(['give exactly one of text, path or demo']);
    expect(methodArgs.loadJob.safeParse({ demo: false }).success).toBe(false);
  });
});
