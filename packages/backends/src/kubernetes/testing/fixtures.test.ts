/**
 * The recorded responses are valid Kubernetes objects: each fixture list, and what the fake API
 * server serves after mutations, validates against the OpenAPI schemas of kubernetes-models.
 */
import { readFileSync } from 'node:fs';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { DeploymentList } from 'kubernetes-models/apps/v1/DeploymentList';
import { Scale } from 'kubernetes-models/autoscaling/v1/Scale';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { HorizontalPodAutoscalerList } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscalerList';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { ConfigMapList } from 'kubernetes-models/v1/ConfigMapList';
import { EventList } from 'kubernetes-models/v1/EventList';
import { NamespaceList } from 'kubernetes-models/v1/NamespaceList';
import { NodeList } from 'kubernetes-models/v1/NodeList';
import { PodList } from 'kubernetes-models/v1/PodList';
import { ResourceQuotaList } from 'kubernetes-models/v1/ResourceQuotaList';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubernetesCluster } from '../cluster.js';
import { type FakeKubeApiServer, KUBE_FIXTURES_DIR, startFakeKubeApiServer } from './fake-apiserver.js';

// biome-ignore lint/suspicious/noExplicitAny: fixture JSON is validated by the models below
const fixture = (file: string): any => JSON.parse(readFileSync(`${KUBE_FIXTURES_DIR}${file}`, 'utf8'));

describe('recorded Kubernetes API responses', () => {
  it.each([
    ['namespaces.json', NamespaceList, 5],
    ['deployments.json', DeploymentList, 3],
    ['pods.json', PodList, 14],
    ['hpas.json', HorizontalPodAutoscalerList, 2],
    ['nodes.json', NodeList, 3],
    ['events.json', EventList, 7],
    ['resourcequotas.json', ResourceQuotaList, 3],
    ['configmaps.json', ConfigMapList, 2],
  ] as const)('%s validates as its list kind', (file, Model, count) => {
    const list = fixture(file);
    expect(list.items).toHaveLength(count);
    // Items carry no apiVersion/kind in API server list responses (kubectl adds them when it
    // prints); the models require them, so they are filled in from the list's kind to validate.
    expect(list.items.every((i: Record<string, unknown>) => i.kind === undefined)).toBe(true);
    const kind = String(list.kind).replace(/List$/, '');
    const items = list.items.map((i: object) => ({ apiVersion: list.apiVersion, kind, ...i }));
    expect(() => new Model({ ...list, items }).validate()).not.toThrow();
  });

  it('records the cluster-autoscaler status ConfigMap as it was before 1.30 (text) as a ConfigMap', () => {
    const cm = fixture('configmap-cluster-autoscaler-status-legacy.json');
    expect(() => new ConfigMap(cm).validate()).not.toThrow();
    expect(cm.data.status).toMatch(/^Cluster-autoscaler status at .*\nCluster-wide:\n/);
  });

  it('records Status objects for 404 and 422', () => {
    expect(fixture('status-not-found.json')).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'NotFound',
      code: 404,
    });
    expect(fixture('status-invalid.json')).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Invalid',
      code: 422,
      details: { causes: [{ reason: 'FieldValueInvalid', field: 'spec.maxReplicas' }] },
    });
  });
});

describe('objects served by the fake API server after mutations', () => {
  let server: FakeKubeApiServer;
  beforeAll(async () => {
    server = await startFakeKubeApiServer();
    const c = createKubernetesCluster({}, { kubeConfig: server.kubeConfig() });
    await c.scaleDeployment('prod', 'checkout-api', 7);
    await c.rolloutRestart('prod', 'checkout-api');
    await c.patchHpa('prod', 'checkout-api', { minReplicas: 2, maxReplicas: 14 });
  });
  afterAll(() => server.close());

  const get = async (path: string) => {
    const res = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${server.token}` } });
    expect(res.status).toBe(200);
    return res.json();
  };

  it('still validate, with bumped resourceVersion and generation', async () => {
    const d = await get('/apis/apps/v1/namespaces/prod/deployments/checkout-api');
    expect(() => new Deployment(d).validate()).not.toThrow();
    expect(d.spec.replicas).toBe(7);
    expect(d.metadata.generation).toBe(9); // fixture 7, +1 scale, +1 template change
    expect(Number(d.metadata.resourceVersion)).toBeGreaterThan(48211907);

    const scale = await get('/apis/apps/v1/namespaces/prod/deployments/checkout-api/scale');
    expect(() => new Scale(scale).validate()).not.toThrow();
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 7 } });

    const hpa = await get('/apis/autoscaling/v2/namespaces/prod/horizontalpodautoscalers/checkout-api');
    expect(() => new HorizontalPodAutoscaler(hpa).validate()).not.toThrow();
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 14 });
  });
});
