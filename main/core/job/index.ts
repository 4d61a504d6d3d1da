// The job file: parse/validate (parse.ts), inputs (inputs.ts), replacement strings (replace.ts).
export { parseJobText, loadJobFile, PASTED_FILE, PASTED_NAME, type JobParseResult, type ParseJobOptions } from './parse.js';
export { expandInputs, globPaths, openInputs, JobInputError, MAX_INPUTS, splitInputLines } from './inputs.js';
export { expandCommand, hasReplacementString, replacementValue, REPLACEMENT_STRING, type ExpandedCommand, type TaskVars } from './replace.js';
export { quoteCmd, quotePosix } from './quote.js';
export {
  JobValueError, describeValue, parseConcurrency, parseDuration, parsePercent, parseSize, parseTimeout,
} from './values.js';
export { DEFAULT_KILL_SEQUENCE, SIGNAL_NAMES, parseHalt, parseKillSequence } from './rules.js';
export type * from './types.js';
