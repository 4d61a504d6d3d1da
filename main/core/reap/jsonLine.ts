// The ledger file and the reaper's stdin both carry one JSON object per line; a malformed line
// must be skipped, never thrown.

export const isPid = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

/** The line's object, or undefined when it is not JSON or not an object. */
export function parseJsonObject(line: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}
