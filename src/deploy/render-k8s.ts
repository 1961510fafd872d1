/**
 * The same deployment as Kubernetes manifests: per revision a Deployment running `sluice serve`
 * and a Service, and a Gateway API HTTPRoute that splits (or mirrors) traffic between them.
 * Blue/green keeps the old revision at weight 0 for instant rollback; canary starts at its
 * first weight step; shadow mirrors a share to the new revision.
 */
import { stringify } from 'yaml';
import type { EnvironmentConfig } from '../config/environments.js';
import type { Strategy } from './revisions.js';

export interface RenderInput {
  environment: string;
  config: EnvironmentConfig;
  strategy: Exclude<Strategy, 'rollback'>;
  next: { model: string; version: number };
  stable?: { model: string; version: number };
  image?: string;
  gateway?: string;
}

type Manifest = Record<string, unknown>;

export function renderKubernetes(input: RenderInput): Manifest[] {
  const namespace = dns(input.environment);
  const image = input.image ?? 'ghcr.io/sluice-ml/sluice:0.1.0';
  const stable = input.stable && `${input.stable.model}@${input.stable.version}` !== `${input.next.model}@${input.next.version}` ? input.stable : undefined;
  const role = input.strategy === 'canary' || input.strategy === 'shadow' ? input.strategy : 'stable';
  const revisions = [...(stable ? [{ ...stable, role: 'stable' }] : []), { ...input.next, role }];
  const manifests: Manifest[] = [];
  for (const r of revisions) {
    const name = dns(`${r.model}-v${r.version}`);
    const labels = { 'app.kubernetes.io/name': dns(r.model), 'app.kubernetes.io/managed-by': 'sluice', 'sluice.dev/version': String(r.version), 'sluice.dev/environment': input.environment };
    manifests.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace, labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: { 'app.kubernetes.io/name': labels['app.kubernetes.io/name'], 'sluice.dev/version': labels['sluice.dev/version'] } },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'model',
                image,
                args: ['serve', `${r.model}@${r.version}`, '--host', '0.0.0.0', '--port', '8080', '--route', r.role],
                ports: [{ name: 'http', containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/v2/health/ready', port: 'http' }, periodSeconds: 2 },
                livenessProbe: { httpGet: { path: '/v2/health/live', port: 'http' }, periodSeconds: 10 },
              },
            ],
          },
        },
      },
    });
    manifests.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace, labels },
      spec: { selector: { 'app.kubernetes.io/name': labels['app.kubernetes.io/name'], 'sluice.dev/version': labels['sluice.dev/version'] }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
  }
  const ref = (r: { model: string; version: number }, weight: number) => ({ name: dns(`${r.model}-v${r.version}`), port: 80, weight });
  const firstWeight = input.config.canary.steps.find((s): s is { weight: number } => 'weight' in s)?.weight ?? 0;
  let rule: Record<string, unknown>;
  if (!stable) rule = { backendRefs: [ref(input.next, 100)] };
  else if (input.strategy === 'canary') rule = { backendRefs: [ref(stable, 100 - firstWeight), ref(input.next, firstWeight)] };
  else if (input.strategy === 'shadow')
    rule = { backendRefs: [ref(stable, 100)], filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: dns(`${input.next.model}-v${input.next.version}`), port: 80 }, percent: input.config.shadow.percent } }] };
  else rule = { backendRefs: [ref(stable, 0), ref(input.next, 100)] };
  manifests.push({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: dns(`${input.next.model}-${input.environment}`), namespace, annotations: { 'sluice.dev/strategy': input.strategy } },
    spec: { parentRefs: [{ name: input.gateway ?? 'sluice' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], ...rule }] },
  });
  return manifests;
}

export function manifestsToYaml(manifests: Manifest[]): string {
  return manifests.map((m) => stringify(m)).join('---\n');
}

/** A Kubernetes object name: lower case letters, digits and '-'. */
function dns(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'sluice';
}
