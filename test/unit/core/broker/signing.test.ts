import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSignature, loadSigningKey, loadTrustedKey, signTask } from '../../../../main/core/broker/signing.js';
import type { TaskPayload } from '../../../../main/core/broker/transport.js';

const dir = mkdtempSync(join(tmpdir(), 'corral-sign-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const task: TaskPayload = { runId: 'abc', seq: 3, file: '/bin/sh', args: ['-c', 'echo hi'], cwd: '/tmp', env: { B: '2', A: '1' }, kill: [{ signal: 'TERM', waitMs: 1000 }] };

describe('task signing', () => {
  const { privateKey, publicKeyPath } = loadSigningKey(dir);
  const trusted = loadTrustedKey(publicKeyPath);

  it('creates the key pair once, the private key readable by its owner only', () => {
    expect(statSync(join(dir, 'broker-key.pem')).mode & 0o777).toBe(0o600);
    const again = loadSigningKey(dir);
    expect(readFileSync(again.publicKeyPath, 'utf8')).toBe(readFileSync(publicKeyPath, 'utf8'));
  });

  it('accepts what it signed, whatever the order of env keys', () => {
    const signed = signTask(task, privateKey);
    expect(checkSignature(signed, trusted)).toBeNull();
    expect(checkSignature({ ...signed, env: { A: '1', B: '2' } }, trusted)).toBeNull();
  });

  it.each([
    ['the command', { args: ['-c', 'rm -rf ~'] }],
    ['the program', { file: '/bin/bash' }],
    ['the environment', { env: { A: '1', B: '2', LD_PRELOAD: '/tmp/x.so' } }],
    ['the working directory', { cwd: '/' }],
    ['the task number', { seq: 4 }],
    ['the run', { runId: 'abd' }],
    ['the kill sequence', { kill: [] }],
    ['the timeout', { timeoutMs: 1 }],
    ['the memory limit', { memoryLimit: 1 }],
    ['the daemons rule', { daemons: 'keep' as const }],
    ['the attempt count', { attemptBase: 2 }],
    ['the slot placeholder', { slotToken: 'x' }],
  ])('refuses a task whose %s was changed after signing', (_what, change) => {
    expect(checkSignature({ ...signTask(task, privateKey), ...change }, trusted)).toBe('wrong signature');
  });

  it('refuses an unsigned task, a malformed signature, and one signed by another key', () => {
    expect(checkSignature(task, trusted)).toBe('unsigned');
    expect(checkSignature({ ...task, sig: 'bm90IGEgc2lnbmF0dXJl' }, trusted)).toBe('wrong signature');
    const other = generateKeyPairSync('ed25519').privateKey;
    expect(checkSignature(signTask(task, other), trusted)).toBe('wrong signature');
  });

  it('trusts only an Ed25519 key', () => {
    const rsa = join(dir, 'rsa.pub');
    writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }));
    expect(() => loadTrustedKey(rsa)).toThrow(`${rsa} is a rsa key, not Ed25519`);
  });
});
