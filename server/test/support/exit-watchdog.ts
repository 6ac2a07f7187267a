/**
 * Jest's globalTeardown: the last resort against a hang. Every test file's resources are closed by the test
 * environment (support/jest-environment.ts); if the process is nevertheless still alive a while after the run — the
 * summary already printed — something leaked that the sweep does not know. Then this names what is still open (the
 * kinds of handle Node reports) and exits with the run's own code, or 1 if the run had passed: a leak is a bug to fix,
 * not a reason to hang. The timer is unref'd, so a clean run exits at once and never sees it.
 */
const GRACE_MS = 20_000;

export default function armExitWatchdog(): void {
  setTimeout(() => {
    const open = process
      .getActiveResourcesInfo()
      .filter((kind) => kind !== 'Timeout' && kind !== 'TTYWrap')
      .reduce<Record<string, number>>((counts, kind) => ({ ...counts, [kind]: (counts[kind] ?? 0) + 1 }), {});
    process.stderr.write(
      `\n[byok tests] jest was still running ${GRACE_MS / 1000} s after the run ended; open handles: ${JSON.stringify(open)}.\n` +
        '[byok tests] Something a test started was never closed (track it with support/test-resources.ts). Exiting.\n',
    );
    // Jest sets the failing exit code in an 'exit' listener; without a failure, the leak itself fails the run.
    if (!process.exitCode) process.exitCode = 1;
    process.exit();
  }, GRACE_MS).unref();
}
