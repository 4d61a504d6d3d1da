// A private redis-server for broker tests: a free 127.0.0.1 port, a temporary directory with an
// AOF, stopped by its pid (never a system Redis). restart() reuses the same port and data.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep, waitFor } from './wait.js';

export const REDIS_SERVER = process.env.CORRAL_REDIS_SERVER ?? '/usr/bin/redis-server';

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** One PING over a raw socket: true when the server answers +PONG (or NOAUTH: it is up, it wants a password). */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.once('error', () => done(false));
    s.once('data', (d) => done(/^(\+PONG|-NOAUTH)/.test(d.toString())));
    s.connect(port, '127.0.0.1', () => s.write('PING\r\n'));
  });
}

export class TestRedis {
  readonly dir = mkdtempSync(join(tmpdir(), 'corral-redis-'));
  port = 0;
  #child: ChildProcess | null = null;
  #extra: string[];

  constructor(extraArgs: string[] = []) {
    this.#extra = extraArgs;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | null {
    return this.#child?.pid ?? null;
  }

  async start(): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--daemonize', 'no', '--maxmemory-policy', 'noeviction', ...this.#extra];
    const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.#child = child;
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await waitFor(`redis-server on port ${this.port} to answer PING (${stderr.trim()})`, async () => {
      if (child.exitCode !== null) throw new Error(`redis-server exited ${child.exitCode}: ${stderr.trim()}`);
      return ping(this.port);
    });
  }

  /** SIGTERM (SIGKILL with `hard`, or after 5 s), waiting for the process to be gone. */
  async stop(hard = false): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(hard ? 'SIGKILL' : 'SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    this.#child = null;
  }

  async restart(): Promise<void> {
    await this.stop();
    await sleep(50);
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
