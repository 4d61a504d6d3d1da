import { Redis } from 'ioredis';
import { redactUrl } from './keys.js';

/** A broker that cannot be used, said in one line (the CLI prints it and exits non-zero). */
export class BrokerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrokerError';
  }
}

/** Why a connection failed, in words: the password, the address, or Redis's own answer. */
export function brokerProblem(url: string, err: Error & { code?: string }): string {
  const where = redactUrl(url);
  const msg = err.message ?? String(err);
  if (/WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(msg)) return `the broker at ${where} refused the user name or password`;
  if (err.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(msg)) return `cannot reach the broker at ${where}: connection refused`;
  if (err.code === 'ENOTFOUND' || /ENOTFOUND/.test(msg)) return `cannot reach the broker at ${where}: host not found`;
  if (/ETIMEDOUT|timed out/i.test(msg)) return `cannot reach the broker at ${where}: timed out`;
  return `cannot use the broker at ${where}: ${msg.split('\n')[0]}`;
}

/** Connects once, without retrying, and checks the credentials with a PING. */
export async function checkBroker(url: string, timeoutMs = 5000): Promise<void> {
  if (!/^rediss?:\/\//.test(url)) throw new BrokerError(`--broker expects a redis:// or rediss:// URL, got ${JSON.stringify(url)}`);
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs, enableOfflineQueue: false });
  // ioredis rejects with "Connection is closed."; the cause came through 'error' just before.
  let cause: Error | null = null;
  client.on('error', (err: Error) => (cause ??= err));
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    throw new BrokerError(brokerProblem(url, cause ?? (err as Error)));
  } finally {
    client.disconnect();
  }
}

/** A client that keeps retrying (a broker restart must not end a run). */
export function brokerClient(url: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(n * 100, 1000) });
  client.on('error', () => {}); // ioredis reconnects; the callers see failed commands
  return client;
}
