import { cpuToMillicores, memoryToBytes, parseQuantity } from '@devops-ai/core';
import type { V1Node, V1Pod, V1ResourceQuota } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  mapNode,
  mapResourceQuota,
  nodeCapacityType,
  podDeployment,
  podDisplayStatus,
  podRequests,
} from './mappers.js';

function pod(p: {
  phase?: string;
  reason?: string;
  deletion?: boolean;
  init?: Array<{ name: string; sidecar?: boolean }>;
  initStatuses?: Array<Record<string, unknown>>;
  statuses?: Array<Record<string, unknown>>;
  conditions?: Array<{ type: string; status: string; reason?: string }>;
}): V1Pod {
  return {
    metadata: { name: 'p', namespace: 'prod', ...(p.deletion ? { deletionTimestamp: new Date() } : {}) },
    spec: {
      containers: [{ name: 'app' }],
      ...(p.init
        ? {
            initContainers: p.init.map((c) => ({
              name: c.name,
              ...(c.sidecar ? { restartPolicy: 'Always' } : {}),
            })),
          }
        : {}),
    },
    status: {
      phase: p.phase ?? 'Running',
      ...(p.reason ? { reason: p.reason } : {}),
      conditions: p.conditions ?? [],
      initContainerStatuses: p.initStatuses ?? [],
      containerStatuses: p.statuses ?? [],
    },
  } as unknown as V1Pod;
}

const running = {
  name: 'app',
  ready: true,
  restartCount: 0,
  image: 'i',
  imageID: '',
  state: { running: {} },
};

describe('podDisplayStatus (kubectl get pods STATUS)', () => {
  it('shows the init container step while initialising', () => {
    const p = pod({
      phase: 'Pending',
      init: [{ name: 'a' }, { name: 'b' }],
      initStatuses: [
        { name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'b', state: { waiting: { reason: 'PodInitializing' } } },
      ],
    });
    expect(podDisplayStatus(p)).toBe('Init:1/2');
  });

  it('prefixes init container failures with Init:', () => {
    expect(
      podDisplayStatus(
        pod({
          init: [{ name: 'a' }],
          initStatuses: [{ name: 'a', state: { waiting: { reason: 'CrashLoopBackOff' } } }],
        }),
      ),
    ).toBe('Init:CrashLoopBackOff');
    expect(
      podDisplayStatus(
        pod({ init: [{ name: 'a' }], initStatuses: [{ name: 'a', state: { terminated: { exitCode: 3 } } }] }),
      ),
    ).toBe('Init:ExitCode:3');
    expect(
      podDisplayStatus(
        pod({
          init: [{ name: 'a' }],
          initStatuses: [{ name: 'a', state: { terminated: { exitCode: 137, signal: 9 } } }],
        }),
      ),
    ).toBe('Init:Signal:9');
  });

  it('skips a started sidecar (restartPolicy Always init container)', () => {
    const p = pod({
      init: [{ name: 'proxy', sidecar: true }],
      initStatuses: [{ name: 'proxy', started: true, state: { running: {} } }],
      statuses: [running],
      conditions: [{ type: 'Ready', status: 'True' }],
    });
    expect(podDisplayStatus(p)).toBe('Running');
  });

  it('reports exit codes and signals of containers terminated without a reason', () => {
    expect(
      podDisplayStatus(pod({ statuses: [{ name: 'app', state: { terminated: { exitCode: 2 } } }] })),
    ).toBe('ExitCode:2');
    expect(
      podDisplayStatus(
        pod({ statuses: [{ name: 'app', state: { terminated: { exitCode: 0, signal: 15 } } }] }),
      ),
    ).toBe('Signal:15');
  });

  it('turns Completed back into Running or NotReady while another container still runs', () => {
    const statuses = [
      { name: 'job', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      { ...running, name: 'sidecar' },
    ];
    expect(podDisplayStatus(pod({ statuses, conditions: [{ type: 'Ready', status: 'True' }] }))).toBe(
      'Running',
    );
    expect(podDisplayStatus(pod({ statuses }))).toBe('NotReady');
  });

  it('shows Terminating for a deleted pod, Unknown on a lost node, and keeps terminal phases', () => {
    expect(podDisplayStatus(pod({ deletion: true, statuses: [running] }))).toBe('Terminating');
    expect(podDisplayStatus(pod({ deletion: true, reason: 'NodeLost', statuses: [running] }))).toBe(
      'Unknown',
    );
    expect(
      podDisplayStatus(
        pod({
          deletion: true,
          phase: 'Succeeded',
          statuses: [{ name: 'app', state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
        }),
      ),
    ).toBe('Completed');
  });

  it('uses status.reason such as Evicted', () => {
    expect(podDisplayStatus(pod({ phase: 'Failed', reason: 'Evicted' }))).toBe('Evicted');
  });
});

describe('podDeployment', () => {
  const rs = (name: string) => [
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid: 'u', controller: true },
  ];

  it('strips the pod-template-hash from the ReplicaSet owner', () => {
    const p = {
      metadata: {
        name: 'web-7d9f8b6c5d-abcde',
        labels: { 'pod-template-hash': '7d9f8b6c5d' },
        ownerReferences: rs('web-7d9f8b6c5d'),
      },
    } as unknown as V1Pod;
    expect(podDeployment(p)).toBe('web');
  });

  it('recognises a hash suffix when the label is missing, and keeps hyphenated names', () => {
    const p = {
      metadata: { name: 'x', ownerReferences: rs('checkout-api-v2-5c8d7f9b46') },
    } as unknown as V1Pod;
    expect(podDeployment(p)).toBe('checkout-api-v2');
  });

  it('falls back to the pod name and hash label without owner references', () => {
    const p = {
      metadata: { name: 'cart-6b7c9d8f5-zk2lq', labels: { 'pod-template-hash': '6b7c9d8f5' } },
    } as unknown as V1Pod;
    expect(podDeployment(p)).toBe('cart');
  });

  it('returns null for StatefulSet, Job and bare pods', () => {
    const sts = {
      metadata: {
        name: 'db-0',
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u' }],
      },
    } as unknown as V1Pod;
    expect(podDeployment(sts)).toBeNull();
    expect(podDeployment({ metadata: { name: 'debug' } } as V1Pod)).toBeNull();
  });
});

describe('nodes', () => {
  it('reads GKE node pools and spot capacity', () => {
    const n = {
      metadata: {
        name: 'gke-prod-pool-1-5f2a',
        labels: {
          'cloud.google.com/gke-nodepool': 'pool-1',
          'cloud.google.com/gke-spot': 'true',
          'node.kubernetes.io/instance-type': 'e2-standard-4',
          'topology.kubernetes.io/zone': 'europe-west1-b',
        },
      },
      status: {
        allocatable: { cpu: '3920m', memory: '13287712Ki' },
        conditions: [{ type: 'Ready', status: 'False' }],
      },
    } as unknown as V1Node;
    const info = mapNode(n);
    expect(info).toMatchObject({
      nodeGroup: 'pool-1',
      capacityType: 'spot',
      instanceType: 'e2-standard-4',
      zone: 'europe-west1-b',
      ready: false,
      cpuAllocatableMillicores: 3920,
      memoryAllocatableMiB: 12976,
      hourlyPrice: null,
    });
  });

  it('normalises capacity labels across providers', () => {
    expect(nodeCapacityType({ 'eks.amazonaws.com/capacityType': 'ON_DEMAND' })).toBe('on-demand');
    expect(nodeCapacityType({ 'eks.amazonaws.com/capacityType': 'SPOT' })).toBe('spot');
    expect(nodeCapacityType({ 'karpenter.sh/capacity-type': 'on-demand' })).toBe('on-demand');
    expect(nodeCapacityType({ 'cloud.google.com/gke-nodepool': 'default-pool' })).toBe('on-demand');
    expect(
      nodeCapacityType({ 'cloud.google.com/gke-preemptible': 'true', 'cloud.google.com/gke-nodepool': 'p' }),
    ).toBe('spot');
    expect(nodeCapacityType({ 'kubernetes.azure.com/scalesetpriority': 'spot' })).toBe('spot');
    expect(nodeCapacityType({ 'kubernetes.io/os': 'linux' })).toBeNull();
  });
});

describe('resource quotas', () => {
  it('reads status.hard and status.used as cores, bytes and counts', () => {
    const q: V1ResourceQuota = {
      metadata: { name: 'compute', namespace: 'prod' },
      spec: { hard: { pods: '50', 'requests.cpu': '20' } },
      status: {
        hard: { pods: '40', 'requests.cpu': '16', 'limits.cpu': '24', 'requests.memory': '64Gi' },
        used: { pods: '38', 'requests.cpu': '12500m', 'limits.cpu': '18', 'requests.memory': '48Gi' },
      },
    };
    // status.hard wins over spec.hard: it is what quota admission enforces
    expect(mapResourceQuota(q)).toEqual({
      namespace: 'prod',
      name: 'compute',
      hard: { pods: 40, 'requests.cpu': 16, 'limits.cpu': 24, 'requests.memory': 64 * 2 ** 30 },
      used: { pods: 38, 'requests.cpu': 12.5, 'limits.cpu': 18, 'requests.memory': 48 * 2 ** 30 },
    });
  });

  it('falls back to spec.hard while the quota controller has not written a status yet', () => {
    const q: V1ResourceQuota = {
      metadata: { name: 'fresh', namespace: 'prod' },
      spec: { hard: { pods: '10', 'count/deployments.apps': '5' } },
    };
    expect(mapResourceQuota(q)).toEqual({
      namespace: 'prod',
      name: 'fresh',
      hard: { pods: 10, 'count/deployments.apps': 5 },
      used: {},
    });
  });

  it('skips an entry whose quantity does not parse and keeps the rest (regression: one bad value failed the list)', () => {
    const q: V1ResourceQuota = {
      metadata: { name: 'odd', namespace: 'prod' },
      status: {
        hard: { pods: '10', 'requests.cpu': 'lots', 'requests.memory': '1.5 Gi', 'limits.memory': '1e400' },
        used: { pods: '4', 'requests.cpu': '1500m', 'requests.memory': '' },
      },
    };
    expect(mapResourceQuota(q)).toEqual({
      namespace: 'prod',
      name: 'odd',
      // '1e400' parses but is not finite: skipped too
      hard: { pods: 10 },
      used: { pods: 4, 'requests.cpu': 1.5 },
    });
  });
});

describe('podRequests (what the scheduler reserves for a pod)', () => {
  type Req = Record<string, string>;
  const spec = (p: {
    containers: Req[];
    init?: Array<{ requests: Req; sidecar?: boolean }>;
    overhead?: Req;
  }): V1Pod =>
    ({
      metadata: { name: 'p', namespace: 'prod' },
      spec: {
        containers: p.containers.map((requests, i) => ({ name: `c${i}`, resources: { requests } })),
        ...(p.init
          ? {
              initContainers: p.init.map((c, i) => ({
                name: `i${i}`,
                resources: { requests: c.requests },
                ...(c.sidecar ? { restartPolicy: 'Always' } : {}),
              })),
            }
          : {}),
        ...(p.overhead ? { overhead: p.overhead } : {}),
      },
    }) as unknown as V1Pod;
  const Mi = 2 ** 20;

  it('sums the containers', () => {
    expect(podRequests(spec({ containers: [{ cpu: '250m', memory: '256Mi' }, { cpu: '0.1' }] }))).toEqual({
      cpuMillicores: 350,
      memoryBytes: 256 * Mi,
    });
  });

  it('takes the largest init container per resource when it exceeds the containers, then adds the overhead', () => {
    const p = spec({
      containers: [{ cpu: '250m', memory: '256Mi' }],
      init: [{ requests: { cpu: '500m', memory: '128Mi' } }, { requests: { cpu: '100m', memory: '512Mi' } }],
      overhead: { cpu: '250m', memory: '160Mi' },
    });
    // cpu max(250, 500) + 250; memory max(256, 512) + 160
    expect(podRequests(p)).toEqual({ cpuMillicores: 750, memoryBytes: 672 * Mi });
  });

  it('counts a sidecar (restartPolicy Always) with the containers and under every init container after it', () => {
    const p = spec({
      containers: [{ cpu: '250m', memory: '256Mi' }],
      init: [
        { requests: { cpu: '50m', memory: '64Mi' }, sidecar: true },
        { requests: { cpu: '500m', memory: '512Mi' } },
      ],
      overhead: { cpu: '250m', memory: '160Mi' },
    });
    // containers + sidecar 300m / 320Mi; the migration runs beside the sidecar: 550m / 576Mi
    expect(podRequests(p)).toEqual({ cpuMillicores: 800, memoryBytes: 736 * Mi });
  });

  it('counts a missing or unparsable request as none instead of failing', () => {
    expect(podRequests(spec({ containers: [{}, { cpu: 'lots', memory: '64Mi' }] }))).toEqual({
      cpuMillicores: 0,
      memoryBytes: 64 * Mi,
    });
    expect(podRequests({ metadata: { name: 'bare' } } as V1Pod)).toEqual({
      cpuMillicores: 0,
      memoryBytes: 0,
    });
  });
});

describe('quantities', () => {
  it('parses CPU into millicores without float drift', () => {
    expect(cpuToMillicores('3920m')).toBe(3920);
    expect(cpuToMillicores('2')).toBe(2000);
    expect(cpuToMillicores('0.1')).toBe(100);
    expect(cpuToMillicores('1.93')).toBe(1930);
    expect(cpuToMillicores('250000u')).toBe(250);
    // like Kubernetes' MilliValue(): sub-millicore amounts round up
    expect(cpuToMillicores('100n')).toBe(1);
  });

  it('parses binary and decimal memory suffixes and exponents', () => {
    expect(memoryToBytes('15Gi')).toBe(15 * 2 ** 30);
    expect(memoryToBytes('16116152Ki')).toBe(16116152 * 1024);
    expect(memoryToBytes('512Mi')).toBe(512 * 2 ** 20);
    expect(memoryToBytes('128974848')).toBe(128974848);
    expect(memoryToBytes('129e6')).toBe(129_000_000);
    expect(memoryToBytes('1.5G')).toBe(1_500_000_000);
    expect(memoryToBytes('123M')).toBe(123_000_000);
    expect(parseQuantity('456135475200m')).toBeCloseTo(456135475.2, 3);
  });

  it('rejects text that is not a quantity', () => {
    expect(() => parseQuantity('lots')).toThrow(/not a Kubernetes quantity/);
    expect(() => parseQuantity('1.5 Gi')).toThrow();
    expect(() => parseQuantity('')).toThrow();
  });
});
