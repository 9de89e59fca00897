import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

// Shared by the web apps' Vite configs and scripts/web-apps.ts. A web app's build may read project files outside its
// own folder (the explorer's example operations, the dashboard's typed client): the build lists them, so that
// `npm start` rebuilds the app when one of them changes, not only when a file of its folder does.

/** Where a build lists the project files outside its folder that it read (paths relative to the project root). */
export const buildInputsFile = 'build-inputs.json';

/** A Vite plugin writing dist/build-inputs.json for the web app in `appFolder` (a direct child of the project root). */
export function recordBuildInputs(appFolder: string): Plugin {
  const projectRoot = path.dirname(appFolder);
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
      writeFileSync(path.join(options.dir ?? path.join(appFolder, 'dist'), buildInputsFile), `${JSON.stringify([...inputs].sort(), null, 2)}\n`);
    },
  };
}
