// A task's result, sized the way it crosses the pipe (V8's serializer, as `advanced` IPC uses),
// so the host refuses an oversized one before it costs the supervisor any memory.
import { serialize } from 'node:v8';
import type { PlainError } from '../../main/core/run/hostMessages.js';
import { toPlainValue } from '../../main/core/run/hostMessages.js';
import { formatBytes } from '../../main/core/run/bytes.js';

export type SizedResult = { ok: true; value: unknown; bytes: number } | { ok: false; error: PlainError };

export function sizeResult(value: unknown, maxBytes: number): SizedResult {
  let plain: unknown = value === undefined ? null : value;
  let bytes: number;
  try {
    bytes = serialize(plain).length;
  } catch {
    // Not cloneable (functions, host objects): its JSON form crosses instead.
    plain = toPlainValue(value);
    bytes = serialize(plain).length;
  }
  if (bytes > maxBytes) {
    return {
      ok: false,
      error: { name: 'ResultTooLarge', message: `result too large: ${formatBytes(bytes)} > ${formatBytes(maxBytes)} (maxResultSize)`, byHost: true },
    };
  }
  return { ok: true, value: plain, bytes };
}
