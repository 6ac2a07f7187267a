/**
 * True when Postgres refused a statement because of the values in it, not because of the connection or the server:
 * class 22 (data exception: e.g. a NUL byte, 22021), 23 (integrity constraint: a CHECK, NOT NULL) and 54 (program
 * limit exceeded: an index row too large, 54000). Retrying the same values cannot succeed; other rows can.
 */
export function isDataError(error: unknown): boolean {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = candidate?.driverError?.code ?? candidate?.code;
  return typeof code === 'string' && /^(22|23|54)/.test(code);
}
