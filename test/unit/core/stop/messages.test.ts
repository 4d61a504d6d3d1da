import { describe, expect, it } from 'vitest';
import { killedByMessage, notGoneMessage } from '../../../../main/core/stop/messages.js';

describe('kill sequence messages', () => {
  it('names the step that ended the tree and the steps before it', () => {
    expect(killedByMessage(['KILL'])).toBe('killed by KILL (kill sequence)');
    expect(killedByMessage(['TERM', 'KILL'])).toBe('killed by KILL after TERM (kill sequence)');
    expect(killedByMessage(['INT', 'TERM', 'KILL'])).toBe('killed by KILL after INT, TERM (kill sequence)');
  });

  it('names every process a sequence could not verify gone, with its state', () => {
    expect(notGoneMessage('KILL', [{ pid: 123, startTime: '1', state: 'D', inGroup: true }])).toBe('not verified gone after KILL: pid 123 (state D)');
    expect(
      notGoneMessage('KILL', [
        { pid: 123, startTime: '1', state: 'D', inGroup: true },
        { pid: 456, startTime: '2', state: 'S', inGroup: false },
      ]),
    ).toBe('not verified gone after KILL: pid 123 (state D), pid 456 (state S)');
    expect(notGoneMessage('TERM', [])).toBe('not verified gone after TERM: a process of the tree');
  });
});
