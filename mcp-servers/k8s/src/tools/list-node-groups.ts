import { z } from 'zod';
import { k8sTool } from '../deps.js';

export const listNodeGroups = k8sTool({
  name: 'k8s_list_node_groups',
  title: 'List node groups',
  description:
    'List the node groups (EKS node groups, GKE node pools, Karpenter NodePools), by name, with how far they may ' +
    "grow and the room left on today's nodes: minSize, maxSize and targetSize from the cluster autoscaler " +
    '(boundsSource; null when nothing reports them), nodes and readyNodes, CPU (millicores) and memory (MiB) ' +
    'allocatable on the ready nodes and requested by the pods bound to them (null when pods cannot be listed), ' +
    "and one node's allocatable (null when the group has no node and its shape is unknown). Free room = " +
    'allocatable - requested; the group can still add maxSize - targetSize nodes of that shape.',
  input: z.strictObject({}),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  risk: 'low',
  handler: async (_args, { cluster }) => ({ nodeGroups: await cluster.listNodeGroups() }),
});
