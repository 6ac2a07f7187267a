/**
 * Test tiers (docs/development.md), one jest project each, so a tier runs alone with `--selectProjects`:
 * - unit: beside the code (src/**\/*.test.ts), no database, seconds;
 * - integration: services on a real database (migrations applied), no HTTP: test/integration/;
 * - http: the real server over HTTP on a real database, fakes for providers: test/http/ (and the fakes' own tests).
 * Each tier is a folder; test/support/ and test/fakes/ are shared by the integration and http tiers.
 * A bare `jest` runs all three.
 *
 * Never a hang (docs/decisions/2026-12-08-tests-never-hang.md): the test environment closes whatever a file started and
 * left open, including a server that finished starting after its hook timed out; waits on the database tiers are sized
 * for a loaded 2-core machine (a server start with migrations on a fresh database takes 20–60 s there); and if the
 * process still does not exit after the summary, the global teardown's watchdog names the open handles and exits
 * non-zero.
 */
const common = {
  testEnvironment: '<rootDir>/test/support/jest-environment.ts',
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  transformIgnorePatterns: ['/node_modules/(?!.pnpm)', 'node_modules/.pnpm/(?!@byok)'],
  setupFiles: ['reflect-metadata'],
};

module.exports = {
  // Every test and hook: a beforeAll that starts a server with migrations on a fresh database takes 20–60 s on a loaded
  // machine. One value for all tiers: jest reads it from the global config only (a project's own is ignored).
  testTimeout: 120_000,
  globalTeardown: '<rootDir>/test/support/exit-watchdog.ts',
  projects: [
    { ...common, displayName: 'unit', roots: ['<rootDir>/src'], testMatch: ['**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      roots: ['<rootDir>/test/integration'],
      testMatch: ['**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'http',
      roots: ['<rootDir>/test/http', '<rootDir>/test/fakes'],
      testMatch: ['**/*.test.ts'],
    },
    // A deliberately broken file that proves a run cannot hang (scripts/prove-no-hang.mjs); never in a normal run.
    ...(process.env.BYOK_HANG_PROOF ? [{ ...common, displayName: 'hang-proof', roots: ['<rootDir>/test/hang-proof'], testMatch: ['**/*.test.ts'] }] : []),
  ],
};
