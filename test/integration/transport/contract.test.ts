import { contractSuite } from '../../support/contractSuite.js';
import { createFakeService } from '../../support/fakeService.js';
import type { FakeService } from '../../support/fakeService.js';
import { ipcHarness, wsHarness } from '../../support/transports.js';

// The same API suite through the Electron adapter (in-memory IPC) and the WebSocket.
// To run it against the real supervisor: make = () => createSupervisor() and drop `advance`.
const make = (): FakeService => createFakeService({ ticksPerTask: 1_000_000 });

let ipcService: FakeService;
contractSuite('Electron IPC', {
  makeHarness: async () => ipcHarness((ipcService = make())),
  advance: () => ipcService.tick(),
});

let wsService: FakeService;
contractSuite('WebSocket', {
  makeHarness: async () => wsHarness((wsService = make())),
  advance: () => wsService.tick(),
});
