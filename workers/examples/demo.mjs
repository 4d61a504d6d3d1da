// The demo job's module: `export default async (input, ctx) => result`.
import { spawn } from 'node:child_process';

const sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason);
    });
  });

function countPrimes(limit, ctx) {
  let count = 0;
  for (let n = 2; n <= limit; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
    if (n % 50_000 === 0) ctx.progress(n / limit, `${n} checked`);
  }
  return count;
}

function shell(line, ctx) {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', line], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => ctx.log(String(d).trimEnd()));
    child.stderr.on('data', (d) => ctx.log(String(d).trimEnd()));
    ctx.signal.addEventListener('abort', () => child.kill('SIGTERM'));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(code) : reject(new Error(`sh exited with ${code}`))));
  });
}

export default async function demo(input, ctx) {
  const [kind, arg] = input.split(/:(.*)/s);
  switch (kind) {
    case 'primes': {
      const n = countPrimes(Number(arg), ctx);
      ctx.log(`${n} primes up to ${arg}`);
      return { primes: n };
    }
    case 'sh':
      return shell(arg, ctx);
    case 'flaky':
      await sleep(800, ctx.signal);
      if (ctx.attempt === 1) throw new Error('flaky: first attempt fails on purpose');
      return 'ok on retry';
    case 'fail':
      await sleep(500, ctx.signal);
      throw new Error('this task always fails');
    case 'grow': {
      const chunks = [];
      for (let mb = 0; mb < Number(arg); mb += 8) {
        chunks.push(Buffer.alloc(8 << 20, 1));
        ctx.progress(mb / Number(arg), `${mb} MiB`);
        await sleep(150, ctx.signal);
      }
      return { grewMiB: Number(arg) };
    }
    case 'idle':
      // No output, no progress, no CPU: exactly what the stuck detector looks for.
      await sleep(Number(arg) * 1000, ctx.signal);
      return 'woke up';
    case 'ignore-term': {
      if (ctx.attempt > 1) return 'second attempt: finished at once';
      // A child that ignores TERM, and a task that ignores ctx.signal: only KILL ends this.
      spawn('/bin/sh', ['-c', `trap '' TERM; sleep ${arg}`], { stdio: 'ignore' });
      ctx.log('ignoring SIGTERM and ctx.signal');
      await new Promise((resolve) => setTimeout(resolve, Number(arg) * 1000));
      return 'survived';
    }
    default:
      throw new Error(`unknown demo input ${JSON.stringify(input)}`);
  }
}
