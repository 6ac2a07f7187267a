import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The built SPA is served by the API process; in dev, vite proxies API calls to it.
export default defineConfig({
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    strictPort: true,
    proxy: { '/graphql': 'http://127.0.0.1:4000', '/api': 'http://127.0.0.1:4000', '/v1': 'http://127.0.0.1:4000' },
  },
  // One bundle of about 150 kB gzipped; splitting it would not make the first screen faster.
  build: { sourcemap: false, chunkSizeWarningLimit: 800 },
});
