import http from 'node:http';
import https from 'node:https';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { startStandaloneServer } from '@apollo/server/standalone';
import fetch from 'node-fetch';
import { SubgraphDataSource } from './subgraph-source.js';
import { watchSupergraph, type Logger } from './supergraph.js';

export type { Logger } from './supergraph.js';

export interface GatewayOptions {
  /** The composed supergraph file. */
  supergraphPath: string;
  /** Subgraph URLs by subgraph name; a subgraph not named here is called at the URL the supergraph gives. */
  subgraphUrls: Record<string, string>;
  /** Reload the supergraph when its file changes. */
  watch: boolean;
  logger?: Logger;
}

export interface ListenOptions extends GatewayOptions {
  host: string;
  port: number;
}

export interface RunningGateway {
  /** The URL it answers at, with the real port when asked for port 0. */
  url: string;
  /** Drains requests, closes the listener, the file watcher and the subgraph connections. */
  stop(): Promise<void>;
}

// The gateway's own default logger prints at info level; ours does the same and also carries the watcher's lines.
const defaultLogger: Logger = { debug: () => {}, info: console.info, warn: console.warn, error: console.error };

/** Builds the gateway and its server; nothing listens, reads or watches until the server starts. */
export function createGateway(options: GatewayOptions): { server: ApolloServer; gateway: ApolloGateway } {
  const logger = options.logger ?? defaultLogger;
  // Subgraph connections are reused between requests instead of opening a TCP connection per fetch.
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  const agent = (url: URL) => (url.protocol === 'https:' ? agents.https : agents.http);

  const gateway = new ApolloGateway({
    logger,
    // Refuse a broken supergraph in every environment (the default skips this check when NODE_ENV=production).
    validateSupergraph: true,
    supergraphSdl: async ({ update }) => {
      const watched = await watchSupergraph(options.supergraphPath, { update, watch: options.watch, logger });
      return {
        supergraphSdl: watched.supergraphSdl,
        cleanup: async () => {
          watched.close();
          agents.http.destroy();
          agents.https.destroy();
        },
      };
    },
    buildService: ({ name, url }) =>
      new SubgraphDataSource(name, {
        url: options.subgraphUrls[name] ?? url,
        fetcher: (input, init) => fetch(input, { ...init, agent }),
      }),
  });

  const server = new ApolloServer({
    // No cast needed: @apollo/gateway 2.14 implements @apollo/server-gateway-interface 1.x (Apollo Server 4's)
    // and Apollo Server 5 asks for 2.x, but the two declare the same interface (only the logger and fetcher type
    // packages they import moved up a major version, with the same shapes), so it type-checks and behaves as is.
    gateway,
    logger,
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGINT/SIGTERM. Apollo Server's own handler would call stop() alongside ours, and in 5.5.1
    // a stop() that finds another one under way waits on a barrier that is only released when stopping fails.
    stopOnTerminationSignals: false,
    plugins: [
      // Off even when APOLLO_KEY happens to be set: this graph reports nothing to Apollo.
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginLandingPageLocalDefault({ embed: { runTelemetry: false } }),
    ],
  });
  return { server, gateway };
}

/** Starts the gateway on a host and port (0 for a free one). */
export async function listenGateway(options: ListenOptions): Promise<RunningGateway> {
  const { server } = createGateway(options);
  let url: string;
  try {
    ({ url } = await startStandaloneServer(server, { listen: { host: options.host, port: options.port } }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`The gateway could not start from ${options.supergraphPath}: ${message}`, { cause: error });
  }
  let stopped: Promise<void> | undefined;
  return { url, stop: () => (stopped ??= server.stop()) };
}
