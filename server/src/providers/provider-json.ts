import { ProviderError } from './provider-adapter';

// Provider payloads are untrusted JSON: these read them without casts and without trusting their shape.

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function field(value: unknown, ...path: Array<string | number>): unknown {
  let current = value;
  for (const step of path) {
    if (typeof step === 'number') current = Array.isArray(current) ? current[step] : undefined;
    else current = isRecord(current) ? current[step] : undefined;
  }
  return current;
}

export function stringField(value: unknown, ...path: Array<string | number>): string | null {
  const found = field(value, ...path);
  return typeof found === 'string' ? found : null;
}

/** A token count as reported by the provider; anything that is not a non-negative integer counts as unknown. */
export function countField(value: unknown, ...path: Array<string | number>): number | null {
  const found = field(value, ...path);
  return typeof found === 'number' && Number.isSafeInteger(found) && found >= 0 ? found : null;
}

export function parseJson(text: string, providerLabel: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ProviderError('UNAVAILABLE', `${providerLabel} sent an answer that could not be read`, null);
  }
}

/**
 * Body reads and stream reads fail after the headers arrived (timeout, reset). A caller abort is rethrown
 * untouched, anything else means the provider did not deliver: UNAVAILABLE.
 */
export function classifyReadFailure(error: unknown, signal: AbortSignal | undefined, providerLabel: string, timeoutMs: number): unknown {
  if (signal?.aborted) return error;
  if (error instanceof ProviderError) return error;
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new ProviderError('UNAVAILABLE', `${providerLabel} did not finish within ${Math.round(timeoutMs / 1000)} s`, null);
  }
  return new ProviderError('UNAVAILABLE', `${providerLabel} stopped answering before the reply was complete`, null);
}

/** The event stream closed before its final event: the caller's abort if there was one, else UNAVAILABLE. */
export function streamEndedEarly(signal: AbortSignal | undefined, providerLabel: string): unknown {
  if (signal?.aborted) return signal.reason;
  return new ProviderError('UNAVAILABLE', `${providerLabel} stopped answering before the reply was complete`, null);
}
