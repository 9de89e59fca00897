import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const appFolder = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.dirname(appFolder);

// The gateway serves this build under /explorer/ (and its index.html at `/` for browsers): every asset URL starts
// with /explorer/, so the page works from either address. Everything, Monaco's workers included, is bundled from
// npm: the page loads nothing from another origin, and works offline.
export default defineConfig({
  base: '/explorer/',
  plugins: [recordInputs()],
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

/**
 * Lists in dist/build-inputs.json the project files outside this folder that the build read (the example
 * operations), so that `npm start` rebuilds when one changes (scripts/web-apps.ts).
 */
function recordInputs(): Plugin {
  return {
    name: 'talent-hub-record-inputs',
    apply: 'build',
    writeBundle(options) {
      const inputs = new Set<string>();
      for (const id of this.getModuleIds()) {
        const file = id.split('?', 1)[0]!;
        if (!path.isAbsolute(file) || file.includes(`${path.sep}node_modules${path.sep}`) || file.startsWith(appFolder + path.sep)) continue;
        if (file.startsWith(projectRoot + path.sep)) inputs.add(path.relative(projectRoot, file).split(path.sep).join('/'));
      }
      writeFileSync(path.join(options.dir ?? path.join(appFolder, 'dist'), 'build-inputs.json'), `${JSON.stringify([...inputs].sort(), null, 2)}\n`);
    },
  };
}
