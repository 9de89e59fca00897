import { watch as watchFolder, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** What the gateway, Apollo Server and the watcher log through; `console` fits. */
export interface Logger {
  debug(message: unknown): void;
  info(message: unknown): void;
  warn(message: unknown): void;
  error(message: unknown): void;
}

export interface WatchedSupergraph {
  /** The file's text when watching began. */
  supergraphSdl: string;
  close(): void;
}

/**
 * The supergraph as ApolloGateway can load it. Composition links @authenticated, @requiresScopes and @policy
 * `for: SECURITY`, and ApolloGateway refuses any SECURITY feature it does not enforce itself (only a router does).
 * Here the subgraphs enforce them (packages/subgraph-lib/auth.ts), so the links lose their `for:` and stay plain core
 * features: still removed from the API schema, no longer a reason to refuse the file. Every other SECURITY or
 * EXECUTION feature the gateway does not know is still refused.
 */
export function supergraphForGateway(sdl: string): string {
  return sdl.replace(/(@link\(url: "https:\/\/specs\.apollo\.dev\/(?:authenticated|requiresScopes|policy)\/v[0-9.]+"), for: SECURITY\)/g, '$1)');
}

// Saving a file often fires several events (truncate, write, rename); reading once they settle avoids loading
// a half-written file.
const settleMs = 200;

/**
 * Reads the supergraph file and, when `watch` is on, hands each new version to `update`. `update` throws when
 * the new text is not a valid supergraph; the gateway then keeps serving the previous one, and so do we.
 */
export async function watchSupergraph(
  file: string,
  options: {
    update: (supergraphSdl: string) => void;
    watch: boolean;
    logger: Logger;
    /** Throws when a supergraph must not be served here (checked before the first load and before each reload). */
    check?: (supergraphSdl: string) => void;
  },
): Promise<WatchedSupergraph> {
  const { update, logger, check = () => undefined } = options;
  let current = '';
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const reload = async () => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      logger.error(`Supergraph ${file} could not be read (${describe(error)}); still serving the previous one.`);
      return;
    }
    if (closed || text === current) return;
    try {
      check(text);
      update(supergraphForGateway(text));
      current = text;
      logger.info(`Supergraph reloaded from ${file}.`);
    } catch (error) {
      logger.error(`Supergraph ${file} was not loaded (${describe(error)}); still serving the previous one.`);
    }
  };

  // The folder is watched rather than the file: an editor or a tool that saves by renaming a new file over the
  // old one would leave a watch on the file itself looking at a deleted inode.
  let watcher: FSWatcher | undefined;
  if (options.watch) {
    watcher = watchFolder(path.dirname(file), (_event, name) => {
      if (name !== null && name !== path.basename(file)) return;
      clearTimeout(timer);
      timer = setTimeout(() => void reload(), settleMs);
    });
    watcher.on('error', (error) => logger.error(`Watching ${file} failed (${describe(error)}); reloads stop.`));
  }
  const close = () => {
    closed = true;
    clearTimeout(timer);
    watcher?.close();
  };

  // Watching starts before the first read so that no change is missed; a change seen meanwhile reloads
  // after the gateway has loaded this first version, and is skipped if the text is the same.
  try {
    current = await readFile(file, 'utf8');
  } catch (error) {
    close();
    throw new Error(`Cannot read the supergraph ${file} (${describe(error)}); run \`npm run compose\` to write it.`, {
      cause: error,
    });
  }
  try {
    check(current);
  } catch (error) {
    close();
    throw new Error(`The supergraph ${file} cannot be served: ${describe(error)}`, { cause: error });
  }
  return { supergraphSdl: supergraphForGateway(current), close };
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
