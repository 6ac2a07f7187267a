import { defineConfig } from 'vitest/config';

// Hook and component tests (seconds, no server): src/**/*.test.{ts,tsx} in a simulated DOM. The browser walk is e2e/.
export default defineConfig({
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
