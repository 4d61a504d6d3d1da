import { dirname, join } from 'node:path';

/** The Python host ships beside the Node host (out/workers/pyhost/, unpacked like it in an app). */
export function pythonHostScript(nodeHostScript: string): string {
  return join(dirname(nodeHostScript), 'pyhost', 'corral_host.py');
}
