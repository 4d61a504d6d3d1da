import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createSupervisor } from '../../../main/core/supervisor.js';
import type { Supervisor } from '../../../main/core/supervisor.js';
import { contractSuite } from '../../support/contractSuite.js';
import { ipcHarness, wsHarness } from '../../support/transports.js';

// The contract suite against the real supervisor and real processes (sleep), through both transports.
const state = mkdtempSync(join(tmpdir(), 'corral-contract-'));
const supervisors: Supervisor[] = [];
const make = (): Supervisor => {
  const s = createSupervisor({ stateDir: state, joblog: null, orphanGuard: false, settings: { tickMs: 250 } });
  supervisors.push(s);
  return s;
};
afterAll(async () => {
  await Promise.all(supervisors.map((s) => s.close({ graceMs: 2_000 })));
  rmSync(state, { recursive: true, force: true });
});

contractSuite('Electron IPC (real supervisor)', { makeHarness: async () => ipcHarness(make()), deadlineMs: 60_000 });
contractSuite('WebSocket (real supervisor)', { makeHarness: async () => wsHarness(make()), deadlineMs: 60_000 });
