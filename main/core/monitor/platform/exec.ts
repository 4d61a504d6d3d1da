import { execFile } from 'node:child_process';
import type { RunCommand } from '../types.js';

/** execFile as a promise that resolves on any exit code: callers decide which codes are fine. */
export const execFileAnyExit: RunCommand = (file, args, opts) =>
  new Promise((resolve, reject) => {
    const env = opts?.env ? { ...process.env, ...opts.env } : process.env;
    execFile(file, args, { maxBuffer: 64 * 1024 * 1024, windowsHide: true, env }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') {
        reject(err);
        return;
      }
      resolve({ stdout: String(stdout), stderr: String(stderr), code: err ? (err.code as number) : 0 });
    });
  });
