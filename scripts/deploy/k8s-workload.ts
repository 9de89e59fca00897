import { envName, type SubgraphEntry } from '@talent-hub/platform/registry';
import { configMapName, gateway, generatedNotice, imageName, imageTag, partOf, secretName, subgraphService, urlVariables, wrap, type Registry, type Service } from './services.js';
import { flow, note, yamlDocument, yamlDocuments } from './yaml.js';

// deploy/k8s/<service>.yaml: a Deployment, a Service, a HorizontalPodAutoscaler and a PodDisruptionBudget for the
// gateway and for every subgraph of the registry. The subgraphs' files differ only in name, port and variables.

/** Where a variable comes from: the ConfigMap, or the Secret for anything secret (database URLs hold passwords). */
interface EnvEntry {
  name: string;
  from: 'config' | 'secret';
}

const config = (name: string): EnvEntry => ({ name, from: 'config' });
const secret = (name: string): EnvEntry => ({ name, from: 'secret' });

/**
 * The variables each Deployment takes, one `env` entry each (no `envFrom`: a subgraph sees its own database URL
 * only). What is left out keeps the service's default; test/deploy.test.ts lists those with their reasons.
 */
function environment(service: Service, registry: Registry): EnvEntry[] {
  const urls = urlVariables(registry).map(config);
  if (service.kind === 'gateway') {
    return [
      ...['NODE_ENV', 'HOST', service.portVariable, 'GATEWAY_WORKERS', 'SHUTDOWN_DELAY_MS', 'CORS_ORIGINS'].map(config),
      ...urls,
      ...['REDIS_URL', 'AUTH_ISSUER', 'AUTH_AUDIENCE'].map(config),
      ...['AUTH_JWT_SECRET', 'AUTH_JWKS_URL', 'INTERNAL_TOKEN_SECRET'].map(secret),
    ];
  }
  return [
    ...['NODE_ENV', 'HOST', service.portVariable, 'SEED_DEMO_DATA', 'SHUTDOWN_DELAY_MS'].map(config),
    ...urls,
    secret(envName(service.name, 'DATABASE_URL')),
    secret('INTERNAL_TOKEN_SECRET'),
  ];
}

const envEntry = ({ name, from }: EnvEntry) => ({
  name,
  valueFrom:
    from === 'config'
      ? { configMapKeyRef: flow({ name: configMapName, key: name }) }
      : { secretKeyRef: flow({ name: secretName, key: name }) },
});

/** Per kind: how long a pod may take to start, what it may use, how far it scales. */
const sizing = {
  gateway: {
    startupComment: 'The gateway loads the supergraph and makes the known operations\' query plans before it listens.',
    // 24 x 5 s: up to 2 minutes.
    startupFailures: 24,
    resourcesComment: 'One worker: about 256 MiB resident under load (README, Performance).',
    resources: { requests: flow({ cpu: '500m', memory: '384Mi' }), limits: flow({ cpu: '1', memory: '768Mi' }) },
    minReplicas: 2,
    maxReplicas: 8,
    replicasComment: undefined,
  },
  subgraph: {
    startupComment:
      'Migrations (and the demo seed, when enabled) run before the server listens; a replica starting while\n' +
      'another migrates waits for its lock. Up to 5 minutes before the liveness probe takes over.',
    startupFailures: 60,
    resourcesComment: undefined,
    resources: { requests: flow({ cpu: '500m', memory: '256Mi' }), limits: flow({ cpu: '1', memory: '512Mi' }) },
    minReplicas: 2,
    maxReplicas: 4,
    replicasComment: 'Each replica holds up to 10 database connections: maxReplicas x 10 must fit the database\'s max_connections.',
  },
} as const;

const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
  httpGet: flow({ path, port: 'http' }),
  periodSeconds,
  timeoutSeconds: 3,
  failureThreshold,
});

function serviceLinksComment(service: Service, registry: Registry): string {
  // Its own port variable and another service's show what Kubernetes would set.
  const other = service.kind === 'gateway' ? registry[0] && subgraphService(registry[0]) : gateway;
  const example = [`${service.portVariable}=tcp://<ip>:${service.port}`, ...(other ? [`${other.portVariable}=...`] : [])].join(', ');
  return wrap(
    `Without this, Kubernetes would put variables for every Service into the pod (${example}), the very ` +
      'variables the services read their ports from: they would refuse to start.',
  );
}

function deployment(service: Service, registry: Registry) {
  const size = sizing[service.kind];
  const labels = { 'app.kubernetes.io/name': service.name, 'app.kubernetes.io/component': service.kind, 'app.kubernetes.io/part-of': partOf };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: service.name, labels },
    spec: {
      revisionHistoryLimit: note('No `replicas`: the HorizontalPodAutoscaler owns the count (an applied value would reset it).', 5),
      selector: { matchLabels: { 'app.kubernetes.io/name': service.name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: {
          labels,
          annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(service.port), 'prometheus.io/path': '/metrics' },
        },
        spec: {
          enableServiceLinks: note(serviceLinksComment(service, registry), false),
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 30,
          securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: { 'app.kubernetes.io/name': service.name } },
            },
          ],
          containers: [
            {
              name: service.name,
              image: `${imageName(service)}:${imageTag}`,
              ports: [{ name: 'http', containerPort: service.port, protocol: 'TCP' }],
              env: environment(service, registry).map(envEntry),
              startupProbe: note(size.startupComment, probe('/health', 5, size.startupFailures)),
              readinessProbe: probe('/ready', 5, 3),
              livenessProbe: probe('/health', 10, 3),
              resources: size.resourcesComment ? note(size.resourcesComment, size.resources) : size.resources,
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: flow(['ALL']) } },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
        },
      },
    },
  };
}

function clusterService(service: Service) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: service.name,
      labels: { 'app.kubernetes.io/name': service.name, 'app.kubernetes.io/component': service.kind, 'app.kubernetes.io/part-of': partOf },
    },
    spec: {
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': service.name },
      ports: [{ name: 'http', port: service.port, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

function autoscaler(service: Service) {
  const size = sizing[service.kind];
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: service.name, labels: { 'app.kubernetes.io/name': service.name, 'app.kubernetes.io/part-of': partOf } },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: service.name },
      minReplicas: size.replicasComment ? note(size.replicasComment, size.minReplicas) : size.minReplicas,
      maxReplicas: size.maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    },
  };
}

function disruptionBudget(service: Service) {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: service.name, labels: { 'app.kubernetes.io/name': service.name, 'app.kubernetes.io/part-of': partOf } },
    spec: { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': service.name } } },
  };
}

function about(service: Service, entry: SubgraphEntry | undefined): string {
  const objects = 'Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget.';
  if (!entry) return `The gateway: ${objects} Expose the Service through\nyour Ingress or Gateway API route; it is ClusterIP here.`;
  return `The \`${service.name}\` subgraph: ${objects}\n${wrap(`${entry.description} Owner: ${entry.owner}.`)}`;
}

/** The manifest file of one service: its four objects, as separate YAML documents. */
export function workloadFile(service: Service, registry: Registry): string {
  const entry = registry.find((e) => e.name === service.name && service.kind === 'subgraph');
  const first = deployment(service, registry);
  return yamlDocuments([
    yamlDocument({ ...first, apiVersion: note(about(service, entry), first.apiVersion) }, generatedNotice),
    yamlDocument(clusterService(service)),
    yamlDocument(autoscaler(service)),
    yamlDocument(disruptionBudget(service)),
  ]);
}
