/** Unit tests live beside the code (src/**\/*.test.ts); integration tests in test/ run the real server on a real database. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest'] },
  transformIgnorePatterns: ['/node_modules/(?!.pnpm)', 'node_modules/.pnpm/(?!@byok)'],
  setupFiles: ['reflect-metadata'],
  testTimeout: 30000,
};
