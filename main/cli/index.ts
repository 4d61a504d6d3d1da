import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './args.js';
import { runCommand, type RunIo } from './run.js';
import { serveCommand } from './serve.js';
import { reapCommand } from './reap.js';
import { INTERNAL_ERROR_EXIT } from './exitCode.js';
import { internalErrorLine, processIo } from './processIo.js';
import { corralResources } from '../core/platform/resources.js';

const HELP = `usage: corral <command> [options]

commands:
  run FILE|--demo     run a job and wait for it (see corral run --help)
  serve [FILE|--demo] run a job and watch it from a browser (see corral serve --help)
  reap                kill processes left by a run that did not end cleanly
  agent --broker URL  run tasks of \`corral run --broker URL\` on this host (see corral agent --help)
  --version           print the version`;

export async function dispatch(argv: readonly string[], io: RunIo): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'run':
      return runCommand(rest, io);
    case 'serve':
      return serveCommand(rest, io);
    case 'reap':
      return reapCommand(rest, io);
    case 'agent':
      // Loaded when used: the broker's Redis client costs every other command ~70 ms of start-up.
      return (await import('./agent.js')).agentCommand(rest, io);
    case '--version':
    case '-v': {
      const pkg = JSON.parse(readFileSync(join(corralResources().appRoot, 'package.json'), 'utf8')) as { version: string };
      io.stdout.write(`corral ${pkg.version}\n`);
      return 0;
    }
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      io.stdout.write(HELP + '\n');
      return cmd === undefined ? 2 : 0;
    default:
      throw new UsageError(`corral: unknown command ${JSON.stringify(cmd)}; commands are run, serve, reap, agent`);
  }
}

/** Entry of bin/corral.cjs. Usage errors exit 2, bugs exit 70, each with one line on stderr, never a stack trace. */
export function main(argv: readonly string[]): void {
  const io = processIo();
  dispatch(argv, io).then(
    (code) => {
      process.exitCode = code;
      // Let stdout drain, then leave even if a stray handle lingers.
      setTimeout(() => process.exit(code), 50).unref();
    },
    (err: unknown) => {
      if (err instanceof UsageError) io.stderr.write(`${err.message}\n`);
      else io.stderr.write(internalErrorLine(err));
      process.exit(err instanceof UsageError ? 2 : INTERNAL_ERROR_EXIT);
    },
  );
}
