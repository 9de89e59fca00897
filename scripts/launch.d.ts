// Types of scripts/launch.js (plain JavaScript: it runs before anything is built), for its tests and the bench.

/** The tsc -b projects npm start runs (folders relative to the project root). */
export function startProjects(projectRoot?: string): string[];
/** The file whose date says when the last successful build of npm start ended. */
export function stampFile(projectRoot?: string): string;
/** Why the compiled start is out of date, or undefined when it is not. */
export function staleReason(projectRoot?: string): string | undefined;
/** Builds the start projects when stale; true when it built. Throws with the compiler's output when the build fails. */
export function buildIfStale(projectRoot?: string, log?: (line: string) => void): boolean;
