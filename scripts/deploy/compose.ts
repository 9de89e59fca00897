import { envName, type SubgraphEntry } from '@talent-hub/platform/registry';
import { databaseName, dockerfile, gateway, generatedNotice, imageName, inClusterUrl, subgraphService, type Registry, type Service } from './services.js';
import { flow, note, quoted, spaced, yamlDocument } from './yaml.js';

// deploy/compose.yaml: the whole graph on one machine. PostgreSQL with one database per subgraph, Redis, every
// subgraph of the registry and the gateway, each built from the one Dockerfile with its SERVICE.

const postgresUser = 'talenthub';
const passwordRequired = '${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in deploy/.env}';
const internalSecret = '${INTERNAL_TOKEN_SECRET:?set INTERNAL_TOKEN_SECRET (32+ characters) in deploy/.env}';

/** A `node -e` healthcheck (slim images have no curl) asking an endpoint on the service's own port. */
export function nodeHealthcheck(service: Service, path: string): string[] {
  const port = `(process.env.${service.portVariable} || ${service.port})`;
  return ['CMD', 'node', '-e', `fetch('http://127.0.0.1:' + ${port} + '${path}').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`];
}

const build = (service: Service) => ({ context: '..', dockerfile, args: { SERVICE: service.name } });

function postgres() {
  return {
    image: 'postgres:15-bookworm',
    environment: {
      POSTGRES_USER: postgresUser,
      POSTGRES_PASSWORD: '${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in deploy/.env (letters and digits only, it goes into URLs)}',
    },
    volumes: [
      'postgres-data:/var/lib/postgresql/data',
      note('Creates one database per subgraph (init.sql) on the first start (empty volume) only.', './postgres/init.sql:/docker-entrypoint-initdb.d/init.sql:ro'),
    ],
    healthcheck: {
      // pg_isready reports whether the server accepts connections, whichever database it names.
      test: note(
        'Over TCP: while the init script runs, the server listens on its Unix socket only.',
        flow(['CMD', 'pg_isready', '-h', '127.0.0.1', '-U', postgresUser, '-d', 'postgres']),
      ),
      interval: '5s',
      timeout: '3s',
      retries: 10,
      start_period: '30s',
    },
    restart: 'unless-stopped',
  };
}

const redis = {
  image: 'redis:7-bookworm',
  command: flow(['redis-server', '--save', '', '--appendonly', 'no']),
  healthcheck: { test: flow(['CMD', 'redis-cli', 'ping']), interval: '5s', timeout: '3s', retries: 10 },
  restart: 'unless-stopped',
};

/** Every subgraph's URL inside compose (the gateway's subgraphs; a subgraph's peers). */
const subgraphUrls = (registry: Registry) => Object.fromEntries(registry.map((entry) => [envName(entry.name, 'URL'), inClusterUrl(entry)]));

function subgraph(entry: SubgraphEntry, registry: Registry) {
  const service = subgraphService(entry);
  const [firstUrl, ...otherUrls] = Object.entries(subgraphUrls(registry));
  return {
    build: build(service),
    image: `${imageName(service)}:local`,
    environment: {
      NODE_ENV: 'production',
      HOST: '0.0.0.0',
      [service.portVariable]: String(service.port),
      [envName(entry.name, 'DATABASE_URL')]: `postgres://${postgresUser}:${passwordRequired}@postgres:5432/${databaseName(entry)}`,
      SEED_DEMO_DATA: '${SEED_DEMO_DATA:-true}',
      INTERNAL_TOKEN_SECRET: internalSecret,
      ...(firstUrl ? { [firstUrl[0]]: note('Subgraphs call each other (erasure, peers.ts): where the others answer.', firstUrl[1]) } : {}),
      ...Object.fromEntries(otherUrls),
    },
    expose: flow([String(service.port)]),
    healthcheck: { test: flow(nodeHealthcheck(service, '/ready')), interval: '10s', timeout: '5s', retries: 3, start_period: '120s' },
    depends_on: { postgres: { condition: 'service_healthy' } },
    restart: 'unless-stopped',
  };
}

function gatewayService(registry: Registry) {
  return {
    build: build(gateway),
    image: `${imageName(gateway)}:local`,
    environment: {
      NODE_ENV: 'production',
      HOST: '0.0.0.0',
      GATEWAY_PORT: String(gateway.port),
      GATEWAY_WORKERS: '${GATEWAY_WORKERS:-1}',
      ...subgraphUrls(registry),
      REDIS_URL: 'redis://redis:6379',
      AUTH_JWT_SECRET: note(
        'Bearer tokens: HS256 with AUTH_JWT_SECRET (mint one with `npm run token`, same secret, issuer and\n' +
          'audience), or the identity provider\'s keys when AUTH_JWKS_URL is set (https).',
        '${AUTH_JWT_SECRET:?set AUTH_JWT_SECRET (32+ characters) in deploy/.env}',
      ),
      AUTH_JWKS_URL: '${AUTH_JWKS_URL:-}',
      AUTH_ISSUER: '${AUTH_ISSUER:-talent-hub-dev}',
      AUTH_AUDIENCE: '${AUTH_AUDIENCE:-talent-hub-graph}',
      INTERNAL_TOKEN_SECRET: internalSecret,
      CORS_ORIGINS: note('Browser origins allowed to call (comma-separated, or *); empty: none in production.', '${CORS_ORIGINS:-}'),
    },
    ports: [quoted(`\${GATEWAY_PUBLISHED_PORT:-${gateway.port}}:${gateway.port}`)],
    healthcheck: { test: flow(nodeHealthcheck(gateway, '/ready')), interval: '10s', timeout: '5s', retries: 3, start_period: '60s' },
    depends_on: {
      redis: { condition: 'service_healthy' },
      ...Object.fromEntries(registry.map((entry) => [entry.name, { condition: 'service_healthy' }])),
    },
    restart: 'unless-stopped',
  };
}

/** The web container (deploy/web/): nginx serving the explorer and the dashboard, the rest passed to the gateway. */
export const webService = { name: 'web', port: 8080, dockerfile: 'deploy/web/Dockerfile' };

function web() {
  return {
    build: { context: '..', dockerfile: webService.dockerfile },
    image: 'talent-hub/web:local',
    ports: [quoted(`\${WEB_PUBLISHED_PORT:-${webService.port}}:${webService.port}`)],
    healthcheck: {
      test: flow(['CMD', 'wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${webService.port}/dashboard/`]),
      interval: '15s',
      timeout: '5s',
      retries: 3,
      start_period: '10s',
    },
    depends_on: { gateway: { condition: 'service_healthy' } },
    restart: 'unless-stopped',
  };
}

const webNote = `The web apps (explorer and dashboard) from nginx at http://localhost:8080/, with the graph behind it on the
same origin (deploy/web/nginx.conf); the gateway serves them too, at http://localhost:4000/.`;

const about = `The whole graph on one machine, from the images of deploy/docker/Dockerfile: PostgreSQL (one database per
subgraph), Redis, every subgraph of subgraphs/registry.json and the gateway; and nginx serving the web apps
(deploy/web/).

  cp deploy/.env.example deploy/.env    # then put real secrets in deploy/.env (never commit it)
  docker compose -f deploy/compose.yaml up --build

The graph answers at http://localhost:4000/, the explorer and the dashboard at http://localhost:8080/. Secrets
come from deploy/.env or the shell; compose refuses to start when one is missing (\`\${VAR:?...}\`). See
deploy/README.md.`;

const subgraphsNote = `The subgraphs: migrations run on start (under a lock, so several replicas may start at once); the demo data
is loaded when the database lacks it. Their healthchecks ask /ready, so that the gateway starts only once
every subgraph can answer; the images' own HEALTHCHECK asks /health.`;

export function composeFile(registry: Registry): string {
  const services: Record<string, unknown> = { postgres: postgres(), redis: spaced(redis) };
  registry.forEach((entry, index) => {
    services[entry.name] = spaced(subgraph(entry, registry), index === 0 ? subgraphsNote : undefined);
  });
  services.gateway = spaced(gatewayService(registry));
  services.web = spaced(web(), webNote);
  return yamlDocument(
    {
      name: note(about, 'talent-hub'),
      services: spaced(services),
      volumes: spaced({ 'postgres-data': flow({}) }),
    },
    generatedNotice,
  );
}
