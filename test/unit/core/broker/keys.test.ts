import { describe, expect, it } from 'vitest';
import { brokerProblem } from '../../../../main/core/broker/connect.js';
import { redactUrl, seqOfJobId, taskJobId } from '../../../../main/core/broker/keys.js';

describe('broker keys and messages', () => {
  it('joins run id and seq with "-" (BullMQ refuses ":" in an id) and reads them back', () => {
    expect(taskJobId('abc', 12)).toBe('abc-12');
    expect(seqOfJobId('abc', 'abc-12')).toBe(12);
    expect(seqOfJobId('abc', 'abd-12')).toBeNull();
    expect(seqOfJobId('abc', 'abc-x')).toBeNull();
    expect(taskJobId('abc', 12, 2)).toBe('abc-12-r2');
    expect(seqOfJobId('abc', 'abc-12-r2')).toBe(12);
    expect(seqOfJobId('abc', 'abc-12-x')).toBeNull();
  });

  it('never shows a password', () => {
    expect(redactUrl('rediss://corral:s3cret@host:6380')).toBe('rediss://corral:***@host:6380');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactUrl('not a url')).toBe('(invalid URL)');
  });

  it('says what is wrong with a broker in words', () => {
    const url = 'redis://u:p@h:1';
    expect(brokerProblem(url, new Error('WRONGPASS invalid username-password pair or user is disabled.'))).toBe('the broker at redis://u:***@h:1 refused the user name or password');
    expect(brokerProblem(url, Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe('cannot reach the broker at redis://u:***@h:1: connection refused');
    expect(brokerProblem(url, Object.assign(new Error('getaddrinfo ENOTFOUND h'), { code: 'ENOTFOUND' }))).toBe('cannot reach the broker at redis://u:***@h:1: host not found');
    expect(brokerProblem(url, new Error('ERR unknown command\nmore'))).toBe('cannot use the broker at redis://u:***@h:1: ERR unknown command');
  });
});
