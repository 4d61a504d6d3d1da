import { isMethodName, methodArgs } from './api.js';
import type { CorralService } from './api.js';
import type { CorralError, ErrorCode, Result } from './types.js';

// Shared by both transports (main/serve and main/app). The transport is the trust boundary: it
// validates every payload itself (the service does too) and turns every failure, thrown or not,
// into plain { code, message, details } data.

export function errorResult(code: ErrorCode, message: string, details?: unknown): { ok: false; error: CorralError } {
  return { ok: false, error: details === undefined ? { code, message } : { code, message, details } };
}

/** Zod issues as plain data: where and what, never the offending input itself. */
function issuesOf(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string; code?: string }>) {
  return issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** Makes sure a result crosses the boundary as plain JSON-safe data. */
function plainResult(r: unknown, method: string): Result<unknown> {
  if (r && typeof r === 'object' && 'ok' in r) {
    const res = r as Result<unknown>;
    if (res.ok) return { ok: true, value: res.value };
    const e = res.error as Partial<CorralError> | undefined;
    return errorResult(e?.code ?? 'INTERNAL', String(e?.message ?? `${method} failed`), e?.details);
  }
  return errorResult('INTERNAL', `${method} returned no result`);
}

export async function guardedCall(service: CorralService, method: unknown, args: unknown): Promise<Result<unknown>> {
  if (!isMethodName(method)) return errorResult('INVALID_ARGUMENT', `unknown method: ${String(method).slice(0, 100)}`);
  const parsed = methodArgs[method].safeParse(args);
  if (!parsed.success) return errorResult('INVALID_ARGUMENT', `invalid arguments for ${method}`, issuesOf(parsed.error.issues));
  try {
    return plainResult(await service.call(method, args), method);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return errorResult('INTERNAL', `${method} failed: ${message}`);
  }
}
