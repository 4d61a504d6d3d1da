// Types for scripts/start.mjs, so tests can import its decision logic.
export type ElectronLookup = { binary: string } | { missing: string };
export interface FsLike {
  existsSync(path: string): boolean;
  readFileSync(path: string, encoding: 'utf8'): string;
}
export function findElectron(opts?: { env?: NodeJS.ProcessEnv; fs?: FsLike; resolveFrom?: string }): ElectronLookup;
export function startMode(opts: {
  electron: ElectronLookup;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
}): { mode: 'electron'; binary: string } | { mode: 'serve'; line: string };
