import { execFileSync } from 'node:child_process';

// Reading files as they are at a git ref, without checking anything out (other work may be going on in the tree).

export interface GitBase {
  /** The ref as given, e.g. `main`. */
  ref: string;
  commit: string;
  /** The files of the commit under the paths asked for. */
  files: Set<string>;
}

function git(root: string, args: string[]): string {
  return execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Resolves the base ref to a commit and lists its files under `paths`. Throws a readable error when the ref is no
 * commit of this repository (e.g. `main` absent in a CI checkout: fetch it, or pass `--base origin/main`).
 */
export function openBase(root: string, ref: string, paths: readonly string[]): GitBase {
  let commit: string;
  try {
    commit = git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]).trim();
  } catch {
    throw new Error(`The base "${ref}" is not a commit of the git repository at ${root}: fetch it, or pass --base <ref>`);
  }
  const listed = git(root, ['ls-tree', '-r', '--name-only', commit, '--', ...paths]);
  return { ref, commit, files: new Set(listed.split('\n').filter(Boolean)) };
}

/** A file's text at the base, or undefined when the file did not exist there. */
export function readAtBase(root: string, base: GitBase, file: string): string | undefined {
  if (!base.files.has(file)) return undefined;
  // `./`: relative to the root, like the names ls-tree gives, should the project sit in a folder of the repository.
  return git(root, ['show', `${base.commit}:./${file}`]);
}
