// Variables Electron (or Corral's own module host) puts in its environment that must not reach a
// task: a task that starts an Electron-based tool (VS Code's CLI, another Electron app) would get a
// broken program. The module host itself needs ELECTRON_RUN_AS_NODE to start, and deletes it from
// its own environment before loading the user's module (workers/host/index.ts).

export const electronOnlyEnv = Object.freeze([
  'ELECTRON_RUN_AS_NODE', // turns any Electron app the task starts into plain Node
  'ELECTRON_NO_ATTACH_CONSOLE', // Windows: Electron apps the task starts lose their console output
  'ELECTRON_NO_ASAR', // breaks Electron apps that load their code from app.asar
]);

/** A copy of env without the Electron-only variables. */
export function withoutElectronEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const name of electronOnlyEnv) delete out[name];
  return out;
}

/** Deletes the Electron-only variables from env in place (the host's own process.env). */
export function stripElectronEnv(env: NodeJS.ProcessEnv): void {
  for (const name of electronOnlyEnv) delete env[name];
}
