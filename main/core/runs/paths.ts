import { basename, dirname, join, relative, sep } from 'node:path';

// Where runs live: <state>/joblogs/<job>/<start time>.tsv, each with <start time>.run.json beside it.

export function joblogsRoot(stateDir: string): string {
  return join(stateDir, 'joblogs');
}

/** A job name as a directory name (the default joblog path and longest-first history use it too) */
export function jobDirName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'job';
}

export function manifestPathOf(joblog: string): string {
  return joblog.replace(/\.tsv$/, '') + '.run.json';
}

/** "<job dir>/<base name>" when the joblog is one of the state directory's, else null */
export function runIdOf(stateDir: string, joblog: string): string | null {
  const rel = relative(joblogsRoot(stateDir), joblog);
  const parts = rel.split(sep);
  if (parts.length !== 2 || parts[0] === '..' || !rel.endsWith('.tsv')) return null;
  return `${parts[0]}/${basename(parts[1], '.tsv')}`;
}

/** The joblog of a run id (validated by the contract: two plain segments) */
export function joblogOfRun(stateDir: string, runId: string): string {
  const [job, run] = runId.split('/');
  return join(joblogsRoot(stateDir), job, `${run}.tsv`);
}

export function jobDirOf(joblog: string): string {
  return dirname(joblog);
}
