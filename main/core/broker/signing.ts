// A task is code that agents run: the supervisor signs each one (Ed25519) and agents check it
// against the public key they were given (--trust), never one the broker hands them.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TaskPayload } from './transport.js';

export const PRIVATE_KEY_FILE = 'broker-key.pem';
export const PUBLIC_KEY_FILE = 'broker-key.pub';

/** The bytes signed: the payload's fields in a fixed order (JSON of an array, not of an object). */
export function signedBytes(p: TaskPayload): Buffer {
  const env = Object.keys(p.env).sort().map((k) => [k, p.env[k]]);
  const limits = [p.timeoutMs ?? null, p.memoryLimit ?? null, p.daemons ?? 'kill', p.attemptBase ?? 0, p.slotToken ?? null];
  return Buffer.from(JSON.stringify(['corral-task-v2', p.runId, p.seq, p.file, p.args, p.cwd, env, p.kill.map((s) => [s.signal, s.waitMs]), limits]));
}

/** The supervisor's key pair, created in the state directory on first use (private key 0600). */
export function loadSigningKey(dir: string): { privateKey: KeyObject; publicKeyPath: string } {
  const priv = join(dir, PRIVATE_KEY_FILE);
  const pub = join(dir, PUBLIC_KEY_FILE);
  if (!existsSync(priv)) {
    mkdirSync(dirname(priv), { recursive: true, mode: 0o700 });
    const pair = generateKeyPairSync('ed25519');
    writeFileSync(priv, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    chmodSync(priv, 0o600);
    writeFileSync(pub, pair.publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
  }
  const privateKey = createPrivateKey(readFileSync(priv));
  if (!existsSync(pub)) writeFileSync(pub, createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
  return { privateKey, publicKeyPath: pub };
}

export function signTask(p: TaskPayload, key: KeyObject): TaskPayload {
  return { ...p, sig: sign(null, signedBytes(p), key).toString('base64') };
}

/** Null when the signature holds; otherwise why not, in words. */
export function checkSignature(p: TaskPayload, key: KeyObject): string | null {
  if (!p.sig) return 'unsigned';
  try {
    return verify(null, signedBytes(p), key, Buffer.from(p.sig, 'base64')) ? null : 'wrong signature';
  } catch {
    return 'malformed signature';
  }
}

export function loadTrustedKey(path: string): KeyObject {
  const key = createPublicKey(readFileSync(path));
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${path} is a ${key.asymmetricKeyType} key, not Ed25519`);
  return key;
}
