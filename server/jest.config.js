/**
 * Test tiers (docs/development.md), one jest project each, so a tier runs alone with `--selectProjects`:
 * - unit: beside the code (src/**\/*.test.ts), no database, seconds;
 * - integration: services on a real database (migrations applied), no HTTP: test/integration/;
 * - http: the real server over HTTP on a real database, fakes for providers: test/http/ (and the fakes' own tests).
 * Each tier is a folder; test/support/ and test/fakes/ are shared by the integration and http tiers.
 * A bare `jest` runs all three.
 */
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  transformIgnorePatterns: ['/node_modules/(?!.pnpm)', 'node_modules/.pnpm/(?!@byok)'],
  setupFiles: ['reflect-metadata'],
};

module.exports = {
  testTimeout: 30000,
  projects: [
    { ...common, displayName: 'unit', roots: ['<rootDir>/src'], testMatch: ['**/*.test.ts'] },
    { ...common, displayName: 'integration', roots: ['<rootDir>/test/integration'], testMatch: ['**/*.test.ts'] },
    { ...common, displayName: 'http', roots: ['<rootDir>/test/http', '<rootDir>/test/fakes'], testMatch: ['**/*.test.ts'] },
  ],
};
