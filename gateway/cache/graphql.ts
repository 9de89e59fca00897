import { createRequire } from 'node:module';

/**
 * graphql-js as Apollo Server and the gateway use it. Node resolves `graphql` to its CommonJS build for them;
 * a bundler-style loader (vitest) gives code of ours the ESM build instead, whose classes are other classes, and
 * graphql-js refuses to mix the two (instanceof checks). Code that inspects the schemas Apollo builds therefore
 * takes graphql-js from here: the CommonJS build everywhere, the same one as Apollo's.
 */
export const graphql: typeof import('graphql') = createRequire(import.meta.url)('graphql');
