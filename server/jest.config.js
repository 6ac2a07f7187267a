/**
 * Test tiers (docs/development.md), one jest project each, so a tier runs alone with `--selectProjects`:
 * - unit: beside the code (src/**\/*.test.ts), no database, seconds;
 * - integration: services on a real database (migrations applied), no HTTP: test/**\/*.integration.test.ts;
 * - http: the real server over HTTP on a real database, fakes for providers: the rest of test/.
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
    { ...common, displayName: 'integration', roots: ['<rootDir>/test'], testMatch: ['**/*.integration.test.ts'] },
    { ...common, displayName: 'http', roots: ['<rootDir>/test'], testMatch: ['**/*.test.ts'], testPathIgnorePatterns: ['\\.integration\\.test\\.ts$'] },
  ],
};
