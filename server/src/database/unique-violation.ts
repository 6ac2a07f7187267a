/** True for Postgres error 23505 (unique_violation), as raised through TypeORM's QueryFailedError or `pg` directly. */
export function isUniqueViolation(error: unknown): boolean {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  return candidate?.driverError?.code === '23505' || candidate?.code === '23505';
}
