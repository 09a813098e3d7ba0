import { readFileSync } from 'node:fs';
import type { NodeInfo } from '@devops-ai/core';
import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  type AutoscalerGroup,
  autoscalerGroupMatches,
  buildNodeGroups,
  parseAutoscalerStatus,
  requestsByNode,
} from './node-groups.js';
import { KUBE_FIXTURES_DIR } from './testing/fake-apiserver.js';

const fixture = (file: string) => JSON.parse(readFileSync(`${KUBE_FIXTURES_DIR}${file}`, 'utf8'));
const recordedYaml = (): string =>
  fixture('configmaps.json').items.find(
    (c: { metadata: { name: string } }) => c.metadata.name === 'cluster-autoscaler-status',
  ).data.status;
const recordedLegacy = (): string => fixture('configmap-cluster-autoscaler-status-legacy.json').data.status;

const EKS_GENERAL = 'eks-general-purpose-2ec5f9a0-7c1d-3b8e-9f4a-6d2b1c0e8a57';
const EKS_SPOT = 'eks-spot-burst-96c5e1b2-4f0a-8d3c-7b1e-a3f5d2c9e041';
const EKS_GPU = 'eks-gpu-inference-d8c4a2e6-1b9f-6e7d-3a5c-0f2b4d6e8a19';

describe('parseAutoscalerStatus', () => {
  it('reads the YAML status of cluster-autoscaler >= 1.30 (recorded)', () => {
    expect(parseAutoscalerStatus(recordedYaml())).toEqual([
      { name: EKS_GENERAL, minSize: 1, maxSize: 4, targetSize: 1, ready: 1, registered: 1 },
      { name: EKS_GPU, minSize: 0, maxSize: 2, targetSize: 0, ready: 0, registered: 0 },
      { name: EKS_SPOT, minSize: 0, maxSize: 6, targetSize: 1, ready: 1, registered: 1 },
    ]);
  });

  it("reads the YAML as the autoscaler's own test writes it (indented list items, quoted strings, extra counters)", () => {
    // shaped after cluster-autoscaler/clusterstate/utils/status_test.yaml
    const doc = [
      'time: "2023-11-24 04:28:19.546750398 +0000 UTC"',
      'message: "TEST_MSG"',
      'autoscalerStatus: "Running"',
      'clusterWide:',
      '  health:',
      '    status: "Healthy"',
      'nodeGroups:',
      '  -',
      '    name: "https://www.googleapis.com/compute/v1/projects/acme/zones/us-central1-b/instanceGroups/gke-prod-pool-1-40ce0341-grp"',
      '    health:',
      '      status: "Healthy"',
      '      nodeCounts:',
      '        registered:',
      '          total: 11',
      '          ready: 4',
      '          notStarted: 3',
      '          unready:',
      '            total: 2',
      '            resourceUnready: 1',
      '        longUnregistered: 1',
      '        unregistered: 2',
      '      cloudProviderTarget: 8',
      '      minSize: 2',
      '      maxSize: 12',
      '    scaleUp:',
      '      status: "Backoff"',
      '      backoffInfo:',
      '        errorCode: "QUOTA_EXCEEDED"',
      '',
    ].join('\n');
    expect(parseAutoscalerStatus(doc)).toEqual([
      {
        name: 'https://www.googleapis.com/compute/v1/projects/acme/zones/us-central1-b/instanceGroups/gke-prod-pool-1-40ce0341-grp',
        minSize: 2,
        maxSize: 12,
        targetSize: 8,
        ready: 4,
        registered: 11,
      },
    ]);
  });

  it('reads the text status written before 1.30 (recorded), whichever counters the version prints', () => {
    expect(parseAutoscalerStatus(recordedLegacy())).toEqual([
      { name: EKS_GENERAL, minSize: 1, maxSize: 3, targetSize: 1, ready: 1, registered: 1 },
      { name: EKS_SPOT, minSize: 0, maxSize: 6, targetSize: 2, ready: 1, registered: 1 },
    ]);
    // an older autoscaler: no resourceUnready, no longUnregistered; one group unhealthy
    const older = [
      'Cluster-autoscaler status at 2021-03-10 14:27:53.226018545 +0000 UTC:',
      'Cluster-wide:',
      '  Health:      Healthy (ready=4 unready=1 notStarted=0 longNotStarted=0 registered=5)',
      '',
      'NodeGroups:',
      '  Name:        eks-ng-batch-20c1b4c8-1c4e-94c5-6b2f-8cfa9d8b7f6e',
      '  Health:      Unhealthy (ready=2 unready=1 notStarted=0 longNotStarted=0 registered=3 cloudProviderTarget=4 (minSize=1, maxSize=10))',
      '               LastProbeTime:      2021-03-10 14:27:53.222580371 +0000 UTC m=+2355.937373154',
      '  ScaleUp:     NoActivity (ready=2 cloudProviderTarget=4)',
      '',
    ].join('\n');
    expect(parseAutoscalerStatus(older)).toEqual([
      {
        name: 'eks-ng-batch-20c1b4c8-1c4e-94c5-6b2f-8cfa9d8b7f6e',
        minSize: 1,
        maxSize: 10,
        targetSize: 4,
        ready: 2, // not the 1 of unready=1
        registered: 3,
      },
    ]);
  });

  it('gives no groups, never a throw, for a status that is neither format (regression: bounds from garbage)', () => {
    for (const text of [
      '',
      '   ',
      'Initializing',
      'Cluster-autoscaler status at 2026-11-27 05:15:32 +0000 UTC:\nInitializing',
      'autoscalerStatus: Initializing\n',
      '{{{ not: [yaml',
      'nodeGroups: 5',
      'nodeGroups: "eks-a"',
      '- just\n- a list',
      '\u0000\u0001 binary \uFFFD',
      'NodeGroups:\n  Name:\n  Health: Healthy',
    ]) {
      expect(parseAutoscalerStatus(text), JSON.stringify(text)).toEqual([]);
    }
  });

  it('keeps a group whose numbers are missing or malformed, with those numbers unknown', () => {
    const doc = [
      'nodeGroups:',
      '- name: eks-a-1',
      '  health:',
      '    cloudProviderTarget: -1',
      '    minSize: "2"',
      '    maxSize: 2.5',
      '- name: eks-b-2',
      '- health: { minSize: 1 }',
      '- name: ""',
    ].join('\n');
    expect(parseAutoscalerStatus(doc)).toEqual([
      { name: 'eks-a-1', minSize: null, maxSize: null, targetSize: null, ready: null, registered: null },
      { name: 'eks-b-2', minSize: null, maxSize: null, targetSize: null, ready: null, registered: null },
    ]);
    const legacy =
      'NodeGroups:\n  Name:        eks-c-3\n  Health:      Healthy (ready=x cloudProviderTarget=2)\n';
    expect(parseAutoscalerStatus(legacy)).toEqual([
      { name: 'eks-c-3', minSize: null, maxSize: null, targetSize: 2, ready: null, registered: null },
    ]);
  });
});

describe('autoscalerGroupMatches', () => {
  it('matches the same name or a whole run of -/ segments', () => {
    expect(autoscalerGroupMatches('general', 'general')).toBe(true);
    expect(autoscalerGroupMatches(EKS_GENERAL, 'general-purpose')).toBe(true);
    expect(autoscalerGroupMatches(EKS_GENERAL, 'general')).toBe(true);
    const mig =
      'https://www.googleapis.com/compute/v1/projects/acme/zones/europe-west1-b/instanceGroups/gke-prod-default-pool-3f5c2a1b-grp';
    expect(autoscalerGroupMatches(mig, 'default-pool')).toBe(true);
    expect(autoscalerGroupMatches('gke-prod-default-pool-3f5c2a1b-grp', 'default-pool')).toBe(true);
  });

  it('does not match part of a segment', () => {
    expect(autoscalerGroupMatches(EKS_GENERAL, 'purpose-2')).toBe(false);
    expect(autoscalerGroupMatches(EKS_GENERAL, 'eneral-purpose')).toBe(false);
    expect(autoscalerGroupMatches('eks-spot-bursty-1', 'spot-burst')).toBe(false);
    expect(autoscalerGroupMatches('eks-a-1', '')).toBe(false);
  });
});

function node(name: string, group: string | null, cpu: number, mem: number, ready = true): NodeInfo {
  return {
    name,
    ready,
    nodeGroup: group,
    instanceType: null,
    capacityType: null,
    zone: null,
    hourlyPrice: null,
    cpuAllocatableMillicores: cpu,
    memoryAllocatableMiB: mem,
    labels: {},
    createdAt: '2026-11-27T00:00:00.000Z',
  };
}
const asg = (name: string, minSize: number | null, maxSize: number | null, target: number | null) =>
  ({ name, minSize, maxSize, targetSize: target, ready: target, registered: target }) as AutoscalerGroup;
const Mi = 2 ** 20;

describe('buildNodeGroups', () => {
  it('sums the MIGs of a GKE node pool (one per zone) and lets the longest matching label win', () => {
    const mig = (zone: string, pool: string, hash: string) =>
      `https://www.googleapis.com/compute/v1/projects/acme/zones/${zone}/instanceGroups/gke-prod-${pool}-${hash}-grp`;
    const groups = buildNodeGroups(
      [
        node('n1', 'default-pool', 3920, 12976),
        node('n2', 'default-pool', 3920, 12976),
        node('n3', 'default-pool', 3920, 12976),
        node('n4', 'pool', 1930, 6000),
      ],
      new Map(),
      [
        asg(mig('europe-west1-b', 'default-pool', '3f5c2a1b'), 1, 5, 1),
        asg(mig('europe-west1-c', 'default-pool', '3f5c2a1b'), 1, 5, 1),
        asg(mig('europe-west1-d', 'default-pool', '3f5c2a1b'), 1, 5, 1),
        asg(mig('europe-west1-b', 'pool', '9a8b7c6d'), 0, 3, 1),
      ],
    );
    expect(groups.map((g) => [g.name, g.boundsSource, g.minSize, g.maxSize, g.targetSize, g.nodes])).toEqual([
      ['default-pool', 'cluster-autoscaler', 3, 15, 3, 3],
      ['pool', 'cluster-autoscaler', 0, 3, 1, 1],
    ]);
  });

  it('sums allocatable and requests over ready nodes, takes the lower median over all, and leaves unlabelled nodes out', () => {
    const requested = new Map([
      ['a1', { cpuMillicores: 500, memoryBytes: 512 * Mi }],
      ['a2', { cpuMillicores: 250, memoryBytes: 100 * Mi + 1 }],
      ['a3', { cpuMillicores: 999, memoryBytes: 999 * Mi }], // not ready: not counted
      ['lonely', { cpuMillicores: 100, memoryBytes: Mi }],
    ]);
    const [a] = buildNodeGroups(
      [
        node('a1', 'a', 2000, 8000),
        node('a2', 'a', 4000, 16000),
        node('a3', 'a', 8000, 32000, false),
        node('a4', 'a', 16000, 64000),
        node('lonely', null, 1000, 1000),
      ],
      requested,
      [],
    );
    expect(a).toEqual({
      name: 'a',
      boundsSource: null,
      minSize: null,
      maxSize: null,
      targetSize: null,
      nodes: 4,
      readyNodes: 3,
      cpuAllocatableMillicores: 22000,
      memoryAllocatableMiB: 88000,
      cpuRequestedMillicores: 750,
      // 612 MiB and one byte: rounded up
      memoryRequestedMiB: 613,
      // 2000, 4000, 8000, 16000: the lower middle
      nodeCpuAllocatableMillicores: 4000,
      nodeMemoryAllocatableMiB: 16000,
    });
  });

  it('lists an autoscaler group no node is labelled for by its own name and counts, and requested null when pods are unknown', () => {
    const groups = buildNodeGroups([node('g1', 'general-purpose', 3920, 14531)], null, [
      asg(EKS_GENERAL, 1, 4, 1),
      { name: EKS_GPU, minSize: 0, maxSize: 2, targetSize: 2, ready: 1, registered: 2 },
    ]);
    expect(groups).toEqual([
      {
        name: EKS_GPU,
        boundsSource: 'cluster-autoscaler',
        minSize: 0,
        maxSize: 2,
        targetSize: 2,
        nodes: 2,
        readyNodes: 1,
        cpuAllocatableMillicores: 0,
        memoryAllocatableMiB: 0,
        cpuRequestedMillicores: null,
        memoryRequestedMiB: null,
        nodeCpuAllocatableMillicores: null,
        nodeMemoryAllocatableMiB: null,
      },
      expect.objectContaining({
        name: 'general-purpose',
        minSize: 1,
        maxSize: 4,
        cpuRequestedMillicores: null,
        memoryRequestedMiB: null,
      }),
    ]);
  });

  it('leaves a bound unknown when one of the summed autoscaler groups does not report it', () => {
    const [g] = buildNodeGroups([node('n', 'pool-a', 1000, 1000)], new Map(), [
      asg('gke-x-pool-a-1-grp', 1, 3, 1),
      asg('gke-x-pool-a-2-grp', null, 3, 1),
    ]);
    expect([g?.minSize, g?.maxSize, g?.targetSize]).toEqual([null, 6, 2]);
  });
});

describe('requestsByNode', () => {
  it('sums bound pods per node and skips unscheduled, Succeeded and Failed pods', () => {
    const pod = (nodeName: string | undefined, phase: string, cpu: string): V1Pod =>
      ({
        metadata: { name: 'p' },
        spec: {
          ...(nodeName ? { nodeName } : {}),
          containers: [{ name: 'c', resources: { requests: { cpu } } }],
        },
        status: { phase },
      }) as V1Pod;
    const m = requestsByNode([
      pod('n1', 'Running', '100m'),
      pod('n1', 'Pending', '200m'),
      pod('n1', 'Succeeded', '400m'),
      pod('n2', 'Failed', '800m'),
      pod(undefined, 'Pending', '1600m'),
    ]);
    expect([...m]).toEqual([['n1', { cpuMillicores: 300, memoryBytes: 0 }]]);
  });
});
