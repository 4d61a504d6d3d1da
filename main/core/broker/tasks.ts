// A job's task as the supervisor signs it for agents: the command expanded here, {%} left as a
// placeholder the agent fills with its slot, the job's limits carried along.
import { expandCommand } from '../job/index.js';
import type { JobSpec } from '../job/types.js';
import type { BrokerTask } from './runner.js';

export type BrokerTaskOf = (input: string, seq: number) => BrokerTask;

export function brokerTasks(spec: JobSpec, runId: string): BrokerTaskOf {
  const command = spec.command;
  if (command === null) throw new Error('brokerTasks: a module job has no command');
  // {%} is the agent's slot, unknown when the task is signed: a placeholder no input can hold by chance.
  const slotToken = `corral-slot-${runId}`;
  const limits = { timeoutMs: spec.timeout && 'ms' in spec.timeout ? spec.timeout.ms : null, memoryLimit: spec.memoryLimit, daemons: spec.daemons };
  return (input, seq) => {
    const e = expandCommand(command, { input, seq, slot: slotToken });
    const slotted = [e.file, ...e.args].some((x) => x.includes(slotToken));
    const shown = e.shell ? e.args[e.args.length - 1] : e.display;
    return {
      seq,
      command: slotted ? shown.replaceAll(slotToken, '{%}') : shown,
      payload: { runId, seq, file: e.file, args: e.args, cwd: spec.cwd, env: spec.env, kill: spec.kill, ...limits, slotToken: slotted ? slotToken : null },
    };
  };
}
