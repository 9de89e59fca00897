import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, defaultClientConditions } from 'vite';
import { recordBuildInputs } from '../scripts/web-app-inputs.js';

// Built into dist/, which the gateway serves under /dashboard (gateway/web.ts) and the web container's nginx in a
// deployment. Everything is bundled, ECharts included: the page loads nothing from another origin (the gateway's
// Content-Security-Policy would refuse it anyway).
export default defineConfig({
  base: '/dashboard/',
  // The typed client (@talent-hub/examples/client) is a workspace: its TypeScript source, as tsc and vitest use.
  resolve: { conditions: ['@talent-hub/source', ...defaultClientConditions] },
  // dist/build-inputs.json lists the typed client's files it read (examples/), for npm start's rebuild check.
  plugins: [recordBuildInputs(path.dirname(fileURLToPath(import.meta.url)))],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
});
