import type { SupervisorEntry } from '../../contract/runs.js';
import { CorralFailure } from '../errors.js';
import { readEntries, toSupervisorEntry } from './registry.js';

const notHere = () => {
  throw new CorralFailure('UNSUPPORTED', 'attach from corral serve or the app, not from a supervisor');
};
const oneJob = () => {
  throw new CorralFailure('UNSUPPORTED', 'this supervisor runs one job; several jobs live in corral serve or the app');
};

/** A bare supervisor lists the others but attaches to none: the attachable service in front of it does. */
export function supervisorListHandlers(stateDir: string) {
  return {
    listSupervisors: async (): Promise<SupervisorEntry[]> => (await readEntries(stateDir)).map((e) => toSupervisorEntry(e, null)),
    attachSupervisor: notHere as () => SupervisorEntry,
    detachSupervisor: notHere as () => null,
    // The job registry in front of several supervisors answers these; a bare one has only itself.
    listJobs: oneJob as () => never,
    newJob: oneJob as () => never,
    selectJob: oneJob as () => never,
    closeJob: oneJob as () => never,
  };
}
