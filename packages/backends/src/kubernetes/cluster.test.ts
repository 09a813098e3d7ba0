/**
 * The real ClusterPort, driven through @kubernetes/client-node against the fake kube-apiserver
 * serving recorded API responses (test/fixtures/kube). Asserts both what the port returns and the
 * exact requests (verb, path, query, Content-Type, patch body) the client puts on the wire.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeClusterContract } from '@devops-ai/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKubernetesCluster, type KubernetesCluster } from './cluster.js';
import {
  type FakeKubeApiServer,
  KUBE_FIXTURES_DIR,
  startFakeKubeApiServer,
} from './testing/fake-apiserver.js';

describeClusterContract('kubernetes (@kubernetes/client-node → recorded API responses)', async () => {
  const server = await startFakeKubeApiServer();
  return {
    port: createKubernetesCluster({}, { kubeConfig: server.kubeConfig() }),
    fixture: { namespace: 'prod', deployment: 'checkout-api', hpa: 'checkout-api' },
    cleanup: () => server.close(),
  };
});

async function codeOf(p: Promise<unknown>): Promise<{ code?: string; message: string }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof Error)) throw new Error('expected a rejection');
  return { code: (err as { code?: string }).code, message: err.message } as {
    code?: string;
    message: string;
  };
}

describe('KubernetesCluster against the fake API server', () => {
  let server: FakeKubeApiServer;
  let cluster: KubernetesCluster;

  beforeEach(async () => {
    server = await startFakeKubeApiServer();
    cluster = createKubernetesCluster({}, { kubeConfig: server.kubeConfig() });
  });
  afterEach(async () => {
    await server.close();
  });

  describe('reads', () => {
    it('maps pod STATUS the way kubectl prints it', async () => {
      const pods = await cluster.listPods('prod');
      const byName = Object.fromEntries(pods.map((p) => [p.name, p]));
      expect(Object.fromEntries(pods.map((p) => [p.name, p.status]))).toEqual({
        'checkout-api-7d9f8b6c5d-2xk8p': 'Running',
        'checkout-api-7d9f8b6c5d-9qwzt': 'CrashLoopBackOff',
        'checkout-api-7d9f8b6c5d-pz6rd': 'OOMKilled',
        'checkout-api-7d9f8b6c5d-h4lmn': 'ContainerCreating',
        'frontend-5c8d7f9b46-bv7rx': 'Running',
        'frontend-5c8d7f9b46-x2n5q': 'Terminating',
        'db-migrate-28904160-tn8vw': 'Completed',
      });
      const crashing = byName['checkout-api-7d9f8b6c5d-9qwzt'];
      expect(crashing).toMatchObject({
        phase: 'Running',
        ready: false,
        restarts: 7,
        deployment: 'checkout-api',
        node: 'ip-10-0-2-71.eu-west-1.compute.internal',
        startedAt: '2026-11-26T21:03:10.000Z',
      });
      expect(crashing?.containers).toEqual([
        {
          name: 'checkout-api',
          image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/checkout-api:1.14.2',
          ready: false,
          restartCount: 7,
          state: 'waiting',
          reason: 'CrashLoopBackOff',
          lastTerminationReason: 'OOMKilled',
        },
      ]);
      expect(byName['checkout-api-7d9f8b6c5d-h4lmn']?.phase).toBe('Pending');
      expect(byName['db-migrate-28904160-tn8vw']?.deployment).toBeNull();
      expect(byName['frontend-5c8d7f9b46-bv7rx']).toMatchObject({ ready: true, deployment: 'frontend' });

      const staging = await cluster.listPods('staging');
      // init container completed (exit 0): the pod shows its main container's state
      expect(staging.map((p) => [p.status, p.deployment])).toEqual([['Running', 'checkout-api']]);
    });

    it('sends an equality label selector as labelSelector and refuses set-based syntax', async () => {
      const pods = await cluster.listPods('prod', 'app=frontend');
      expect(pods.map((p) => p.name).sort()).toEqual([
        'frontend-5c8d7f9b46-bv7rx',
        'frontend-5c8d7f9b46-x2n5q',
      ]);
      const req = server.requests.at(-1);
      expect(req?.path).toBe('/api/v1/namespaces/prod/pods');
      expect(req?.query.labelSelector).toBe('app=frontend');

      const before = server.requests.length;
      expect((await codeOf(cluster.listPods('prod', 'app in (a,b)'))).code).toBe('invalid_argument');
      expect((await codeOf(cluster.listPods('Prod!'))).code).toBe('invalid_argument');
      expect(server.requests.length).toBe(before);
    });

    it('pages through lists with limit and continue', async () => {
      const paged = createKubernetesCluster({ pageSize: 2 }, { kubeConfig: server.kubeConfig() });
      const pods = await paged.listPods('prod');
      expect(pods).toHaveLength(7);
      const listCalls = server.requests.filter((r) => r.path === '/api/v1/namespaces/prod/pods');
      expect(listCalls.map((r) => r.query.limit)).toEqual(['2', '2', '2', '2']);
      expect(listCalls[0]?.query.continue).toBeUndefined();
      expect(listCalls.slice(1).every((r) => typeof r.query.continue === 'string')).toBe(true);
    });

    it('starts a paged list over once when the continue token has expired (410 Gone)', async () => {
      const paged = createKubernetesCluster({ pageSize: 3 }, { kubeConfig: server.kubeConfig() });
      server.failNext({
        method: 'GET',
        path: /\/pods$/,
        when: (r) => r.query.continue !== undefined,
        status: 410,
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: 'The provided continue parameter is too old to display a consistent list result.',
          reason: 'Expired',
          code: 410,
        },
      });
      const pods = await paged.listPods('prod');
      expect(pods.map((p) => p.name)).toHaveLength(7);
      expect(new Set(pods.map((p) => p.name)).size).toBe(7); // no duplicates from the first attempt
      const calls = server.requests.filter((r) => r.path === '/api/v1/namespaces/prod/pods');
      // page 1, page 2 (410), then a fresh list: pages 1, 2, 3
      expect(calls.map((r) => r.query.continue === undefined)).toEqual([true, false, true, false, false]);
    });

    it('maps deployments from apps/v1', async () => {
      const [checkout, frontend] = await cluster.listDeployments('prod');
      expect(checkout).toEqual({
        namespace: 'prod',
        name: 'checkout-api',
        replicas: 4,
        readyReplicas: 2,
        availableReplicas: 2,
        updatedReplicas: 4,
        images: ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/checkout-api:1.14.2'],
        labels: {
          app: 'checkout-api',
          'app.kubernetes.io/name': 'checkout-api',
          'app.kubernetes.io/part-of': 'shop',
        },
        selector: { app: 'checkout-api' },
        restartedAt: null,
        createdAt: '2025-03-11T09:10:02.000Z',
      });
      expect(frontend?.restartedAt).toBe('2026-11-26T21:02:55Z');
      expect(server.requests.at(-1)?.path).toBe('/apis/apps/v1/namespaces/prod/deployments');
    });

    it('maps autoscaling/v2 HPAs with CPU target and current utilisation', async () => {
      const hpas = await cluster.listHpas('prod');
      expect(hpas.find((h) => h.name === 'checkout-api')).toEqual({
        namespace: 'prod',
        name: 'checkout-api',
        target: { kind: 'Deployment', name: 'checkout-api' },
        minReplicas: 3,
        maxReplicas: 10,
        targetCpuUtilization: 70,
        currentCpuUtilization: 86,
        currentReplicas: 4,
        desiredReplicas: 5,
      });
      expect(server.requests.at(-1)?.path).toBe(
        '/apis/autoscaling/v2/namespaces/prod/horizontalpodautoscalers',
      );
    });

    it('maps core/v1 ResourceQuotas: status.hard and status.used as cores, bytes and counts', async () => {
      const quotas = await cluster.listResourceQuotas('prod');
      expect(server.requests.at(-1)).toMatchObject({
        method: 'GET',
        path: '/api/v1/namespaces/prod/resourcequotas',
        query: { limit: '500' },
      });
      expect(quotas).toEqual([
        {
          namespace: 'prod',
          name: 'compute-resources',
          // 20 pods, 8 cores, 16Gi, 24Gi
          hard: {
            'limits.memory': 24 * 2 ** 30,
            pods: 20,
            'requests.cpu': 8,
            'requests.memory': 16 * 2 ** 30,
          },
          // 4 checkout-api pods (500m / 512Mi / 768Mi) and 2 frontend pods (250m / 256Mi / 512Mi);
          // the Completed db-migrate pod does not count
          used: {
            'limits.memory': 4 * 2 ** 30,
            pods: 6,
            'requests.cpu': 2.5,
            'requests.memory': 2560 * 2 ** 20,
          },
        },
        {
          namespace: 'prod',
          name: 'object-counts',
          hard: {
            configmaps: 50,
            'count/deployments.apps': 10,
            'count/horizontalpodautoscalers.autoscaling': 10,
            persistentvolumeclaims: 10,
            'requests.storage': 500 * 2 ** 30,
            services: 20,
            'services.loadbalancers': 2,
          },
          used: {
            configmaps: 4,
            'count/deployments.apps': 2,
            'count/horizontalpodautoscalers.autoscaling': 2,
            persistentvolumeclaims: 1,
            'requests.storage': 20 * 2 ** 30,
            services: 3,
            'services.loadbalancers': 0,
          },
        },
      ]);

      const staging = await cluster.listResourceQuotas('staging');
      expect(server.requests.at(-1)?.path).toBe('/api/v1/namespaces/staging/resourcequotas');
      expect(staging.map((q) => [q.namespace, q.name, q.used.pods])).toEqual([
        ['staging', 'compute-resources', 1],
      ]);
      // like the other namespaced lists: a namespace without quotas, or that does not exist, has none
      expect(await cluster.listResourceQuotas('kube-public')).toEqual([]);
      const before = server.requests.length;
      expect((await codeOf(cluster.listResourceQuotas('Prod!'))).code).toBe('invalid_argument');
      expect(server.requests.length).toBe(before);
    });

    it('sorts quotas by name and skips a quantity that does not parse instead of failing the list', async () => {
      const quota = (name: string, hard: Record<string, string>, used: Record<string, string>) => ({
        metadata: { name, namespace: 'prod', resourceVersion: '1', uid: `uid-${name}` },
        spec: { hard },
        status: { hard, used },
      });
      server.failNext({
        method: 'GET',
        path: /\/resourcequotas$/,
        status: 200,
        body: {
          kind: 'ResourceQuotaList',
          apiVersion: 'v1',
          metadata: { resourceVersion: '1' },
          items: [
            quota('zz-gpu', { 'requests.nvidia.com/gpu': '4' }, { 'requests.nvidia.com/gpu': '1' }),
            quota(
              'aa-compute',
              { pods: '10', 'requests.cpu': 'lots' },
              { pods: '3', 'requests.cpu': '1500m' },
            ),
          ],
        },
      });
      expect(await cluster.listResourceQuotas('prod')).toEqual([
        { namespace: 'prod', name: 'aa-compute', hard: { pods: 10 }, used: { pods: 3, 'requests.cpu': 1.5 } },
        {
          namespace: 'prod',
          name: 'zz-gpu',
          hard: { 'requests.nvidia.com/gpu': 4 },
          used: { 'requests.nvidia.com/gpu': 1 },
        },
      ]);
    });

    it('maps nodes: node group, capacity type, instance type, zone and allocatable quantities', async () => {
      const nodes = await cluster.listNodes();
      expect(
        nodes.map((n) => [
          n.name,
          n.nodeGroup,
          n.capacityType,
          n.instanceType,
          n.zone,
          n.cpuAllocatableMillicores,
          n.memoryAllocatableMiB,
        ]),
      ).toEqual([
        // allocatable 3920m / 14880156Ki
        [
          'ip-10-0-1-23.eu-west-1.compute.internal',
          'general-purpose',
          'on-demand',
          'm6i.xlarge',
          'eu-west-1a',
          3920,
          14531,
        ],
        // allocatable 1930m / 7220172Ki, eks.amazonaws.com/capacityType SPOT
        [
          'ip-10-0-2-71.eu-west-1.compute.internal',
          'spot-burst',
          'spot',
          'm5.large',
          'eu-west-1b',
          1930,
          7050,
        ],
        // Karpenter: karpenter.sh/nodepool, karpenter.sh/capacity-type; allocatable memory 15Gi
        [
          'ip-10-0-3-105.eu-west-1.compute.internal',
          'default',
          'spot',
          'c6i.2xlarge',
          'eu-west-1c',
          7910,
          15360,
        ],
      ]);
      expect(nodes.every((n) => n.ready && n.hourlyPrice === null)).toBe(true);
    });

    describe('node groups', () => {
      const PODS_PATH = '/api/v1/pods';
      const STATUS_PATH = '/api/v1/namespaces/kube-system/configmaps/cluster-autoscaler-status';
      const GPU = 'eks-gpu-inference-d8c4a2e6-1b9f-6e7d-3a5c-0f2b4d6e8a19';
      const status = (code: number, reason: string, message: string) => ({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message,
        reason,
        code,
      });
      const forbidden = (what: string) =>
        status(
          403,
          'Forbidden',
          `${what} is forbidden: User "system:serviceaccount:devops-ai:devops-ai-k8s" cannot get resource`,
        );
      const boundsOf = (groups: Awaited<ReturnType<KubernetesCluster['listNodeGroups']>>) =>
        groups.map((g) => [g.name, g.boundsSource, g.minSize, g.maxSize, g.targetSize]);
      const requestedOf = (groups: Awaited<ReturnType<KubernetesCluster['listNodeGroups']>>) =>
        groups.map((g) => [g.name, g.cpuRequestedMillicores, g.memoryRequestedMiB]);

      it('joins nodes, non-terminated pods of all namespaces and the autoscaler status (YAML, >= 1.30)', async () => {
        const groups = await cluster.listNodeGroups();
        const reads = server.requests.map((r) => [r.method, r.path, r.query]);
        expect(reads).toEqual(
          expect.arrayContaining([
            ['GET', '/api/v1/nodes', { limit: '500' }],
            [
              'GET',
              PODS_PATH,
              { fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed', limit: '500' },
            ],
            ['GET', STATUS_PATH, {}],
          ]),
        );
        expect(reads).toHaveLength(3);
        expect(groups).toEqual([
          // Karpenter's NodePool: no cluster-autoscaler group matches it
          {
            name: 'default',
            boundsSource: null,
            minSize: null,
            maxSize: null,
            targetSize: null,
            nodes: 1,
            readyNodes: 1,
            cpuAllocatableMillicores: 7910,
            memoryAllocatableMiB: 15360,
            // checkout-api (Pending, bound) 500m/512Mi, frontend (Terminating) 250m/256Mi,
            // staging checkout-api 250m/256Mi (its init container requests nothing), aws-node 50m
            // (two 25m containers over a 25m init container), and the kata-qemu preview pod:
            // 250m/256Mi + its otel-agent sidecar 50m/64Mi, under the db-migrate init container
            // beside the sidecar 550m/576Mi, + 250m/160Mi overhead = 800m/736Mi
            cpuRequestedMillicores: 1850,
            memoryRequestedMiB: 1760,
            nodeCpuAllocatableMillicores: 7910,
            nodeMemoryAllocatableMiB: 15360,
          },
          // an autoscaler group scaled to zero: listed under its own name
          {
            name: GPU,
            boundsSource: 'cluster-autoscaler',
            minSize: 0,
            maxSize: 2,
            targetSize: 0,
            nodes: 0,
            readyNodes: 0,
            cpuAllocatableMillicores: 0,
            memoryAllocatableMiB: 0,
            cpuRequestedMillicores: 0,
            memoryRequestedMiB: 0,
            nodeCpuAllocatableMillicores: null,
            nodeMemoryAllocatableMiB: null,
          },
          {
            name: 'general-purpose',
            boundsSource: 'cluster-autoscaler',
            minSize: 1,
            maxSize: 4,
            targetSize: 1,
            nodes: 1,
            readyNodes: 1,
            cpuAllocatableMillicores: 3920,
            memoryAllocatableMiB: 14531,
            // two checkout-api 500m/512Mi, aws-node 50m, coredns 100m/70Mi, cluster-autoscaler
            // 100m/600Mi; the Succeeded db-migrate pod is not listed (field selector)
            cpuRequestedMillicores: 1250,
            memoryRequestedMiB: 1694,
            nodeCpuAllocatableMillicores: 3920,
            nodeMemoryAllocatableMiB: 14531,
          },
          {
            name: 'spot-burst',
            boundsSource: 'cluster-autoscaler',
            minSize: 0,
            maxSize: 6,
            targetSize: 1,
            nodes: 1,
            readyNodes: 1,
            cpuAllocatableMillicores: 1930,
            memoryAllocatableMiB: 7050,
            // checkout-api 500m/512Mi, frontend 250m/256Mi, aws-node 50m
            cpuRequestedMillicores: 800,
            memoryRequestedMiB: 768,
            nodeCpuAllocatableMillicores: 1930,
            nodeMemoryAllocatableMiB: 7050,
          },
        ]);
      });

      it('keeps the field selector on every page of the pod list', async () => {
        const paged = createKubernetesCluster({ pageSize: 4 }, { kubeConfig: server.kubeConfig() });
        const groups = await paged.listNodeGroups();
        const podCalls = server.requests.filter((r) => r.path === PODS_PATH);
        // 13 non-terminated pods in 4 pages
        expect(podCalls).toHaveLength(4);
        expect(
          podCalls.every((r) => r.query.fieldSelector === 'status.phase!=Succeeded,status.phase!=Failed'),
        ).toBe(true);
        expect(requestedOf(groups)).toEqual(requestedOf(await cluster.listNodeGroups()));
      });

      it('reads the text status cluster-autoscaler wrote before 1.30 (recorded)', async () => {
        const legacy = JSON.parse(
          readFileSync(`${KUBE_FIXTURES_DIR}configmap-cluster-autoscaler-status-legacy.json`, 'utf8'),
        );
        server.failNext({
          method: 'GET',
          path: /\/configmaps\/cluster-autoscaler-status$/,
          status: 200,
          body: legacy,
        });
        expect(boundsOf(await cluster.listNodeGroups())).toEqual([
          ['default', null, null, null, null],
          ['general-purpose', 'cluster-autoscaler', 1, 3, 1],
          // a node asked for and not registered yet: target 2 with one node
          ['spot-burst', 'cluster-autoscaler', 0, 6, 2],
        ]);
      });

      it('without the status ConfigMap (404: no cluster autoscaler) the bounds are null, the rest is read', async () => {
        server.failNext({
          method: 'GET',
          path: /\/configmaps\/cluster-autoscaler-status$/,
          status: 404,
          body: status(404, 'NotFound', 'configmaps "cluster-autoscaler-status" not found'),
        });
        const groups = await cluster.listNodeGroups();
        expect(boundsOf(groups)).toEqual([
          ['default', null, null, null, null],
          ['general-purpose', null, null, null, null],
          ['spot-burst', null, null, null, null],
        ]);
        expect(requestedOf(groups)).toEqual([
          ['default', 1850, 1760],
          ['general-purpose', 1250, 1694],
          ['spot-burst', 800, 768],
        ]);
      });

      it('when RBAC forbids the ConfigMap the bounds are null, not an error', async () => {
        server.failNext({
          method: 'GET',
          path: /\/configmaps\/cluster-autoscaler-status$/,
          status: 403,
          body: forbidden('configmaps "cluster-autoscaler-status"'),
        });
        const groups = await cluster.listNodeGroups();
        expect(groups.every((g) => g.boundsSource === null && g.maxSize === null)).toBe(true);
        expect(groups.map((g) => g.name)).toEqual(['default', 'general-purpose', 'spot-burst']);
      });

      it('when RBAC forbids listing pods cluster-wide, requested is null and the rest is read', async () => {
        server.failNext({ method: 'GET', path: /^\/api\/v1\/pods$/, status: 403, body: forbidden('pods') });
        const groups = await cluster.listNodeGroups();
        expect(requestedOf(groups)).toEqual([
          ['default', null, null],
          [GPU, null, null],
          ['general-purpose', null, null],
          ['spot-burst', null, null],
        ]);
        expect(groups.find((g) => g.name === 'general-purpose')).toMatchObject({
          maxSize: 4,
          cpuAllocatableMillicores: 3920,
          nodeCpuAllocatableMillicores: 3920,
        });
      });

      it('a status the autoscaler did not write in either format gives null bounds, never a throw', async () => {
        for (const data of [{ status: 'garbage {{{ [not yaml' }, { status: '' }, {}, undefined]) {
          server.failNext({
            method: 'GET',
            path: /\/configmaps\/cluster-autoscaler-status$/,
            status: 200,
            body: {
              kind: 'ConfigMap',
              apiVersion: 'v1',
              metadata: { name: 'cluster-autoscaler-status', namespace: 'kube-system' },
              ...(data ? { data } : {}),
            },
          });
          const groups = await cluster.listNodeGroups();
          expect(boundsOf(groups), JSON.stringify(data)).toEqual([
            ['default', null, null, null, null],
            ['general-purpose', null, null, null, null],
            ['spot-burst', null, null, null, null],
          ]);
        }
      });

      it('other failures are raised: a 500 on the ConfigMap or the pods is not hidden as "unknown"', async () => {
        server.failNext({ method: 'GET', path: /\/configmaps\/cluster-autoscaler-status$/, status: 500 });
        expect((await codeOf(cluster.listNodeGroups())).code).toBe('backend_error');
        server.failNext({ method: 'GET', path: /^\/api\/v1\/pods$/, status: 500 });
        expect((await codeOf(cluster.listNodeGroups())).code).toBe('backend_error');
      });
    });

    it('lists events oldest first, including events.k8s.io-style events without legacy timestamps', async () => {
      const events = await cluster.listEvents('prod');
      const times = events.map((e) => Date.parse(e.lastTimestamp));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      const oom = events.find((e) => e.involvedObject.name === 'checkout-api-7d9f8b6c5d-pz6rd');
      expect(oom).toMatchObject({
        type: 'Warning',
        reason: 'Killing',
        count: 3,
        firstTimestamp: '2026-11-27T05:14:50.412Z',
        lastTimestamp: '2026-11-27T05:14:50.412Z',
      });
      const backoff = events.find((e) => e.reason === 'BackOff');
      expect(backoff).toMatchObject({ count: 58, firstTimestamp: '2026-11-27T04:51:09.000Z' });

      const one = await cluster.listEvents('prod', 'checkout-api-7d9f8b6c5d-9qwzt');
      expect(server.requests.at(-1)?.query.fieldSelector).toBe(
        'involvedObject.name=checkout-api-7d9f8b6c5d-9qwzt',
      );
      expect(one.map((e) => e.reason).sort()).toEqual(['BackOff', 'Pulled']);

      await cluster.listEvents();
      expect(server.requests.at(-1)?.path).toBe('/api/v1/events');
    });

    it('describes objects in their wire shape with their events', async () => {
      const r = await cluster.describe('pod', 'checkout-api-7d9f8b6c5d-9qwzt', 'prod');
      expect(r.object.kind).toBe('Pod');
      expect(r.object.apiVersion).toBe('v1');
      const status = r.object.status as {
        containerStatuses: Array<{ lastState: { terminated: { reason: string; finishedAt: string } } }>;
      };
      expect(status.containerStatuses[0]?.lastState.terminated.reason).toBe('OOMKilled');
      // times stay RFC 3339 strings exactly as the API server sent them
      expect(status.containerStatuses[0]?.lastState.terminated.finishedAt).toBe('2026-11-27T05:06:12Z');
      expect((r.object.metadata as Record<string, unknown>).managedFields).toBeUndefined();
      expect(r.events.map((e) => e.reason).sort()).toEqual(['BackOff', 'Pulled']);
      const evReq = server.requests.at(-1);
      expect(evReq?.query.fieldSelector).toBe(
        'involvedObject.name=checkout-api-7d9f8b6c5d-9qwzt,involvedObject.kind=Pod',
      );

      const hpa = await cluster.describe('hpa', 'checkout-api', 'prod');
      expect(hpa.object).toMatchObject({ kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v2' });
      expect(hpa.events.map((e) => e.reason)).toEqual(['SuccessfulRescale']);

      const node = await cluster.describe('node', 'ip-10-0-3-105.eu-west-1.compute.internal');
      expect(node.namespace).toBeNull();
      expect((node.object.status as { allocatable: { memory: string } }).allocatable.memory).toBe('15Gi');
      expect(server.requests.at(-1)?.path).toBe('/api/v1/events');

      expect((await codeOf(cluster.describe('namespace', 'nope'))).code).toBe('not_found');
    });

    it('redacts literal values of secret-looking env vars in described objects', async () => {
      const r = await cluster.describe('deployment', 'checkout-api', 'prod');
      const spec = r.object.spec as { template: { spec: { containers: Array<{ env: unknown[] }> } } };
      expect(spec.template.spec.containers[0]?.env).toEqual([
        { name: 'LOG_LEVEL', value: 'info' },
        { name: 'DB_PASSWORD', value: '[redacted]' },
        { name: 'PAYMENTS_URL', value: 'http://payments.prod.svc.cluster.local:8080' },
        {
          name: 'STRIPE_API_KEY',
          valueFrom: { secretKeyRef: { name: 'checkout-api-secrets', key: 'stripe-api-key' } },
        },
      ]);
      expect(JSON.stringify(r)).not.toContain('hunter2');
    });

    it('reads pod logs with tailLines, container, previous and a byte limit', async () => {
      const tail = await cluster.podLogs({
        namespace: 'prod',
        pod: 'checkout-api-7d9f8b6c5d-2xk8p',
        tailLines: 5,
      });
      expect(tail.trim().split('\n')).toHaveLength(5);
      expect(server.requests.at(-1)).toMatchObject({
        method: 'GET',
        path: '/api/v1/namespaces/prod/pods/checkout-api-7d9f8b6c5d-2xk8p/log',
        query: { tailLines: '5', limitBytes: String(1024 * 1024) },
      });

      const prev = await cluster.podLogs({
        namespace: 'prod',
        pod: 'checkout-api-7d9f8b6c5d-9qwzt',
        container: 'checkout-api',
        previous: true,
      });
      expect(prev).toContain('"heap_mib": 745');
      expect(server.requests.at(-1)?.query).toMatchObject({ previous: 'true', container: 'checkout-api' });

      // the API server's own 400 for a container that has not started is passed on, classified
      const waiting = await codeOf(
        cluster.podLogs({ namespace: 'prod', pod: 'checkout-api-7d9f8b6c5d-h4lmn' }),
      );
      expect(waiting).toEqual({
        code: 'invalid_argument',
        message:
          'container "checkout-api" in pod "checkout-api-7d9f8b6c5d-h4lmn" is waiting to start: ContainerCreating',
      });
      const small = createKubernetesCluster({ maxLogBytes: 100 }, { kubeConfig: server.kubeConfig() });
      const capped = await small.podLogs({ namespace: 'prod', pod: 'checkout-api-7d9f8b6c5d-2xk8p' });
      expect(Buffer.byteLength(capped)).toBe(100);
      expect((await codeOf(cluster.podLogs({ namespace: 'prod', pod: 'gone-pod' }))).code).toBe('not_found');
    });
  });

  describe('mutations on the wire', () => {
    it('scales through the scale subresource with a merge patch, like kubectl scale', async () => {
      const r = await cluster.scaleDeployment('prod', 'checkout-api', 6);
      expect(r).toEqual({ namespace: 'prod', name: 'checkout-api', previousReplicas: 4, replicas: 6 });
      expect(server.mutations()).toEqual([
        expect.objectContaining({
          method: 'PATCH',
          path: '/apis/apps/v1/namespaces/prod/deployments/checkout-api/scale',
          contentType: 'application/merge-patch+json',
          body: { spec: { replicas: 6 } },
        }),
      ]);
      const stored = server.object('deployments', 'checkout-api', 'prod') as {
        spec: { replicas: number };
        metadata: { generation: number };
      };
      expect(stored.spec.replicas).toBe(6);
      expect(stored.metadata.generation).toBe(8);

      // scale to zero is a valid request
      expect((await cluster.scaleDeployment('prod', 'frontend', 0)).replicas).toBe(0);
    });

    it('validates replicas before calling the API', async () => {
      const before = server.requests.length;
      for (const bad of [-1, 1.5, Number.NaN, 2 ** 31]) {
        expect((await codeOf(cluster.scaleDeployment('prod', 'checkout-api', bad))).code).toBe(
          'invalid_argument',
        );
      }
      expect((await codeOf(cluster.scaleDeployment('prod', 'Checkout_API', 2))).code).toBe(
        'invalid_argument',
      );
      expect(server.requests.length).toBe(before);
      expect((await codeOf(cluster.scaleDeployment('prod', 'payments', 2))).code).toBe('not_found');
      expect(server.mutations()).toEqual([]);
    });

    it('rollout-restarts with a strategic merge patch of the restartedAt template annotation', async () => {
      const r = await cluster.rolloutRestart('prod', 'checkout-api');
      expect(r.restartedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const [patch] = server.mutations();
      expect(patch).toMatchObject({
        method: 'PATCH',
        path: '/apis/apps/v1/namespaces/prod/deployments/checkout-api',
        contentType: 'application/strategic-merge-patch+json',
        body: {
          spec: {
            template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': r.restartedAt } } },
          },
        },
      });
      const stored = server.object('deployments', 'checkout-api', 'prod') as {
        spec: {
          template: { metadata: { annotations: Record<string, string>; labels: Record<string, string> } };
        };
      };
      // strategic merge keeps the rest of the template
      expect(stored.spec.template.metadata.labels.app).toBe('checkout-api');
      expect(stored.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBe(
        r.restartedAt,
      );
    });

    it('refuses to restart a paused deployment, as kubectl does', async () => {
      const res = await fetch(`${server.url}/apis/apps/v1/namespaces/prod/deployments/frontend`, {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/merge-patch+json' },
        body: JSON.stringify({ spec: { paused: true } }),
      });
      expect(res.status).toBe(200);
      const err = await codeOf(cluster.rolloutRestart('prod', 'frontend'));
      expect(err.code).toBe('invalid_argument');
      expect(err.message).toMatch(/paused/);
      expect(server.mutations()).toHaveLength(1); // only the set-up patch
    });

    it('patches HPA bounds with a merge patch guarded by resourceVersion', async () => {
      const r = await cluster.patchHpa('prod', 'checkout-api', { minReplicas: 4, maxReplicas: 12 });
      expect(r).toEqual({
        namespace: 'prod',
        name: 'checkout-api',
        previous: { minReplicas: 3, maxReplicas: 10 },
        minReplicas: 4,
        maxReplicas: 12,
      });
      expect(server.mutations()).toEqual([
        expect.objectContaining({
          method: 'PATCH',
          path: '/apis/autoscaling/v2/namespaces/prod/horizontalpodautoscalers/checkout-api',
          contentType: 'application/merge-patch+json',
          body: { metadata: { resourceVersion: '48211650' }, spec: { minReplicas: 4, maxReplicas: 12 } },
        }),
      ]);
      const only = await cluster.patchHpa('prod', 'checkout-api', { maxReplicas: 8 });
      expect(only).toMatchObject({
        minReplicas: 4,
        maxReplicas: 8,
        previous: { minReplicas: 4, maxReplicas: 12 },
      });
      expect(server.mutations().at(-1)?.body).toEqual({
        metadata: { resourceVersion: expect.any(String) },
        spec: { maxReplicas: 8 },
      });
    });

    it('refuses min > max against the current object without sending a patch', async () => {
      const err = await codeOf(cluster.patchHpa('prod', 'checkout-api', { minReplicas: 11 }));
      expect(err.code).toBe('invalid_argument');
      expect(err.message).toMatch(/minReplicas \(11\).*maxReplicas \(10\)/);
      expect((await codeOf(cluster.patchHpa('prod', 'checkout-api', {}))).code).toBe('invalid_argument');
      expect(server.mutations()).toEqual([]);
    });

    it('maps the API server 422 (Status reason Invalid) to invalid_argument with its message', async () => {
      // minReplicas 0 needs the HPAScaleToZero feature gate: the server decides, not the client
      const err = await codeOf(cluster.patchHpa('prod', 'checkout-api', { minReplicas: 0 }));
      expect(err).toEqual({
        code: 'invalid_argument',
        message:
          'HorizontalPodAutoscaler.autoscaling "checkout-api" is invalid: spec.minReplicas: Invalid value: 0: must be greater than or equal to 1',
      });
      expect(server.mutations()).toHaveLength(1);
    });

    it('maps a 409 conflict (object changed since it was read) to conflict', async () => {
      const conflict = {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'Operation cannot be fulfilled on horizontalpodautoscalers.autoscaling "checkout-api": the object has been modified; please apply your changes to the latest version and try again',
        reason: 'Conflict',
        details: { name: 'checkout-api', group: 'autoscaling', kind: 'horizontalpodautoscalers' },
        code: 409,
      };
      server.failNext({ method: 'PATCH', path: /horizontalpodautoscalers/, status: 409, body: conflict });
      const err = await codeOf(cluster.patchHpa('prod', 'checkout-api', { maxReplicas: 9 }));
      expect(err).toEqual({ code: 'conflict', message: conflict.message });
    });

    it('deletes a pod with DELETE and reports not_found the second time', async () => {
      const r = await cluster.deletePod('prod', 'checkout-api-7d9f8b6c5d-9qwzt');
      expect(r).toEqual({ namespace: 'prod', name: 'checkout-api-7d9f8b6c5d-9qwzt', deleted: true });
      expect(server.mutations()).toEqual([
        expect.objectContaining({
          method: 'DELETE',
          path: '/api/v1/namespaces/prod/pods/checkout-api-7d9f8b6c5d-9qwzt',
        }),
      ]);
      const err = await codeOf(cluster.deletePod('prod', 'checkout-api-7d9f8b6c5d-9qwzt'));
      expect(err).toEqual({ code: 'not_found', message: 'pod prod/checkout-api-7d9f8b6c5d-9qwzt not found' });
    });
  });

  describe('failures', () => {
    it('maps a 500 to backend_error without leaking the bearer token or response headers', async () => {
      server.failNext({ path: /deployments$/, status: 500, message: 'etcdserver: request timed out' });
      const err = await codeOf(cluster.listDeployments('prod'));
      expect(err.code).toBe('backend_error');
      expect(err.message).toBe('Kubernetes API error 500: etcdserver: request timed out');
      expect(err.message).not.toContain(server.token);
      expect(err.message).not.toMatch(/Audit-Id|Headers/i);
    });

    it('maps 401 to unauthenticated and never echoes the credential', async () => {
      const kc = server.kubeConfig();
      kc.users[0] = { name: 'fake-user', token: 'wrong-secret-token-123' };
      const bad = createKubernetesCluster({}, { kubeConfig: kc });
      const err = await codeOf(bad.listNamespaces());
      expect(err.code).toBe('unauthenticated');
      expect(err.message).not.toContain('wrong-secret-token-123');
    });

    it('maps 403 to forbidden with the RBAC message', async () => {
      const message =
        'deployments.apps "checkout-api" is forbidden: User "system:serviceaccount:devops-ai:copilot" cannot patch resource "deployments/scale" in API group "apps" in the namespace "prod"';
      server.failNext({
        method: 'GET',
        path: /scale$/,
        status: 403,
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message,
          reason: 'Forbidden',
          code: 403,
        },
      });
      expect(await codeOf(cluster.scaleDeployment('prod', 'checkout-api', 5))).toEqual({
        code: 'forbidden',
        message,
      });
    });

    it('times out slow requests', async () => {
      const slow = createKubernetesCluster({ requestTimeoutMs: 200 }, { kubeConfig: server.kubeConfig() });
      server.failNext({
        path: /namespaces$/,
        status: 200,
        body: { kind: 'NamespaceList', items: [] },
        delayMs: 1500,
      });
      const started = Date.now();
      const err = await codeOf(slow.listNamespaces());
      expect(err.code).toBe('backend_error');
      expect(err.message).toMatch(/timed out after 200 ms/);
      expect(Date.now() - started).toBeLessThan(1400);
    });

    it('reports an unreachable API server as backend_error', async () => {
      const kc = server.kubeConfig();
      await server.close();
      const err = await codeOf(createKubernetesCluster({}, { kubeConfig: kc }).listNamespaces());
      expect(err.code).toBe('backend_error');
      expect(err.message).toMatch(/^cannot reach the Kubernetes API server at http:\/\/127\.0\.0\.1:\d+ /);
      server = await startFakeKubeApiServer(); // for afterEach
    });
  });

  describe('configuration', () => {
    it('loads a kubeconfig file and selects a context', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
      try {
        const path = join(dir, 'config');
        writeFileSync(
          path,
          [
            'apiVersion: v1',
            'kind: Config',
            'clusters:',
            `- name: fake\n  cluster:\n    server: ${server.url}\n    insecure-skip-tls-verify: true`,
            '- name: other\n  cluster:\n    server: http://127.0.0.1:1\n    insecure-skip-tls-verify: true',
            'users:',
            `- name: fake-user\n  user:\n    token: ${server.token}`,
            'contexts:',
            '- name: prod-eu\n  context:\n    cluster: fake\n    user: fake-user\n    namespace: prod',
            '- name: broken\n  context:\n    cluster: other\n    user: fake-user',
            'current-context: broken',
          ].join('\n'),
        );
        const c = createKubernetesCluster({ kubeconfigPath: path, context: 'prod-eu' });
        expect(c.backend).toBe('kubernetes (context prod-eu)');
        expect((await c.listNamespaces()).map((n) => n.name)).toContain('prod');
        // the context's namespace is the default for describe without a namespace
        expect((await c.describe('deployment', 'checkout-api')).namespace).toBe('prod');

        expect(() => createKubernetesCluster({ kubeconfigPath: path, context: 'nope' })).toThrow(
          expect.objectContaining({ code: 'config_error' }),
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('writes a kubeconfig for child processes', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
      try {
        writeFileSync(join(dir, 'config'), server.kubeconfigYaml());
        const c = createKubernetesCluster({ kubeconfigPath: join(dir, 'config') });
        expect(c.backend).toBe('kubernetes (context fake)');
        expect((await c.getDeployment('prod', 'frontend')).replicas).toBe(2);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses to fall back to http://localhost:8080 when no kubeconfig exists', () => {
      const saved = { HOME: process.env.HOME, KUBECONFIG: process.env.KUBECONFIG };
      const home = mkdtempSync(join(tmpdir(), 'home-'));
      try {
        process.env.HOME = home;
        delete process.env.KUBECONFIG;
        expect(() => createKubernetesCluster({})).toThrow(
          expect.objectContaining({
            code: 'config_error',
            message: expect.stringMatching(/no kubeconfig found/),
          }),
        );
      } finally {
        process.env.HOME = saved.HOME;
        if (saved.KUBECONFIG !== undefined) process.env.KUBECONFIG = saved.KUBECONFIG;
        rmSync(home, { recursive: true, force: true });
      }
    });

    it('rejects contradictory or unknown options', () => {
      expect(() => createKubernetesCluster({ inCluster: true, kubeconfigPath: '/x' })).toThrow(
        expect.objectContaining({ code: 'config_error' }),
      );
      expect(() => createKubernetesCluster({ kubeconfigPath: '/no/such/kubeconfig' })).toThrow(
        expect.objectContaining({ code: 'config_error' }),
      );
      expect(() => createKubernetesCluster({ token: 'x' } as never)).toThrow(
        expect.objectContaining({ code: 'config_error' }),
      );
    });
  });
});
