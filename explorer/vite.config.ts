import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';
import { recordBuildInputs } from '../scripts/web-app-inputs.js';

const appFolder = path.dirname(fileURLToPath(import.meta.url));

// The gateway serves this build under /explorer/ (and its index.html at `/` for browsers): every asset URL starts
// with /explorer/, so the page works from either address. Everything, Monaco's workers included, is bundled from
// npm: the page loads nothing from another origin, and works offline.
export default defineConfig({
  base: '/explorer/',
  // Workspace packages (@talent-hub/examples) from their TypeScript sources, as everywhere in the repository.
  resolve: { conditions: ['@talent-hub/source', ...defaultClientConditions] },
  // dist/build-inputs.json lists the example operations it read, for npm start's rebuild check.
  plugins: [recordBuildInputs(appFolder)],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // GraphiQL with Monaco is a few MiB however it is split; the size warning would only repeat that.
    chunkSizeWarningLimit: 5_000,
    rolldownOptions: {
      onwarn(warning, warn) {
        // React libraries mark modules "use client" for server-component bundlers; a browser-only build drops it.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  worker: { format: 'es' },
});
