import { envName } from '@talent-hub/platform/registry';
import { configMapName, databaseName, gateway, generatedNotice, imageName, imageTag, inClusterUrl, partOf, secretName, services, type Registry } from './services.js';
import { closing, note, quoted, yamlDocument } from './yaml.js';

// deploy/k8s/configmap.yaml, secret.yaml and kustomization.yaml: the settings every Deployment takes its variables
// from, and the list of manifests. Each subgraph of the registry adds its port and URL to the ConfigMap, its
// database URL to the Secret, and its file and image to the kustomization.

export function configMapFile(registry: Registry): string {
  const ports = Object.fromEntries(registry.map((entry) => [envName(entry.name, 'PORT'), String(entry.port)]));
  const urls: Record<string, unknown> = Object.fromEntries(registry.map((entry) => [envName(entry.name, 'URL'), inClusterUrl(entry)]));
  const [first] = registry;
  if (first) {
    const key = envName(first.name, 'URL');
    urls[key] = note(
      "Services of this kustomization, in the same namespace: the gateway's subgraphs, and the subgraphs' peers\n(they call each other, e.g. to deliver erasures).",
      urls[key],
    );
  }
  const data = {
    NODE_ENV: 'production',
    HOST: note("Listen on every interface of the pod (the services' default, 127.0.0.1, is unreachable from outside it).", '0.0.0.0'),
    [gateway.portVariable]: String(gateway.port),
    ...ports,
    GATEWAY_WORKERS: note(
      "One process per pod: the HorizontalPodAutoscaler adds pods instead of workers, and the default (cores - 1)\nwould count the node's cores, not the pod's CPU limit.",
      '1',
    ),
    ...urls,
    SHUTDOWN_DELAY_MS: note(
      "After SIGTERM, keep serving (while /ready answers 503) until the endpoint is gone from every node's Service\nrouting; terminationGracePeriodSeconds (30) covers it plus the time requests in flight may take.",
      '5000',
    ),
    CORS_ORIGINS: note('Browser origins allowed to call the gateway (comma-separated exact origins, or *); empty: none in production.', ''),
    REDIS_URL: note(
      "Not deployed by these manifests: point it at your Redis 7 (a managed one, or a `redis` Service).\nIf its URL carries a password, move REDIS_URL to the Secret (and the gateway's env entry to a secretKeyRef).",
      'redis://redis:6379',
    ),
    SEED_DEMO_DATA: note(
      'Production data comes from the partners, not from the demo seed (synthetic talents and events). Set "true"\nfor a demo or staging cluster; the seed is written once, under a lock, whatever the number of replicas.',
      'false',
    ),
    AUTH_ISSUER: note("The `iss` and `aud` claims every bearer token must carry: your identity provider's values.", 'https://login.example.org/realms/talent-hub'),
    AUTH_AUDIENCE: 'talent-hub-graph',
  };
  return yamlDocument(
    {
      apiVersion: note(
        'Non-secret configuration of every service. Each Deployment takes only the keys it reads (env[].valueFrom),\n' +
          'so a key here reaches no pod unless a Deployment names it. After changing a value:\n' +
          `  kubectl rollout restart deployment -l app.kubernetes.io/part-of=${partOf}`,
        'v1',
      ),
      kind: 'ConfigMap',
      metadata: { name: configMapName, labels: { 'app.kubernetes.io/part-of': partOf } },
      data: closing('Tracing, once the services export it (OpenTelemetry reads this itself):\nOTEL_EXPORTER_OTLP_ENDPOINT: http://otel-collector:4318', data),
    },
    generatedNotice,
  );
}

export function secretFile(registry: Registry): string {
  const databases: Record<string, unknown> = {};
  registry.forEach((entry, index) => {
    const db = databaseName(entry);
    const url = `postgres://${db}:CHANGE_ME@postgres.example.internal:5432/${db}`;
    databases[envName(entry.name, 'DATABASE_URL')] = index === 0 ? note('One database per subgraph, ideally one role per database too.', url) : url;
  });
  return yamlDocument(
    {
      apiVersion: note(
        'PLACEHOLDERS. Never apply real values from this file and never commit them: replace this Secret in an overlay\n' +
          'or from your secret store (see deploy/README.md). The placeholder secrets are too short on purpose (the\n' +
          'services require 32 characters in production), so a cluster given this file as it is refuses to start.',
        'v1',
      ),
      kind: 'Secret',
      metadata: { name: secretName, labels: { 'app.kubernetes.io/part-of': partOf } },
      type: 'Opaque',
      stringData: {
        ...databases,
        AUTH_JWT_SECRET: note(
          'Gateway: HS256 secret of the bearer tokens (32+ characters), unless AUTH_JWKS_URL (https) is set, in which\ncase tokens are checked against the identity provider\'s keys and AUTH_JWT_SECRET is not read.',
          'CHANGE_ME',
        ),
        AUTH_JWKS_URL: '',
        INTERNAL_TOKEN_SECRET: note('Gateway and subgraphs: signs the identity the gateway passes on (32+ characters, the same for all).', 'CHANGE_ME'),
      },
    },
    generatedNotice,
  );
}

/** The manifests of this folder, in the order kustomize applies them. */
export const manifestFiles = (registry: Registry) => ['configmap.yaml', 'secret.yaml', ...services(registry).map((s) => `${s.name}.yaml`)];

export function kustomizationFile(registry: Registry): string {
  return yamlDocument(
    {
      apiVersion: note(
        'kubectl apply -k deploy/k8s   (into the current namespace; add -n <namespace> or set `namespace:` in an overlay)\n' +
          'Images: built from deploy/docker/Dockerfile (--build-arg SERVICE=<name>); point them at your registry with\n' +
          `  cd deploy/k8s && kustomize edit set image ${imageName(gateway)}=registry.example.org/${imageName(gateway)}:1.2.3`,
        'kustomize.config.k8s.io/v1beta1',
      ),
      kind: 'Kustomization',
      resources: manifestFiles(registry),
      images: services(registry).map((s) => ({ name: imageName(s), newTag: quoted(imageTag) })),
    },
    generatedNotice,
  );
}
