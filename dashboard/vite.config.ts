import { defineConfig, defaultClientConditions } from 'vite';

// Built into dist/, which the gateway serves under /dashboard (gateway/web.ts) and the web container's nginx in a
// deployment. Everything is bundled, ECharts included: the page loads nothing from another origin (the gateway's
// Content-Security-Policy would refuse it anyway).
export default defineConfig({
  base: '/dashboard/',
  // The typed client (@talent-hub/examples/client) is a workspace: its TypeScript source, as tsc and vitest use.
  resolve: { conditions: ['@talent-hub/source', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
});
