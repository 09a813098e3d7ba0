import { z } from 'zod';
import { k8sTool } from '../deps.js';

export const listNodes = k8sTool({
  name: 'k8s_list_nodes',
  title: 'List nodes',
  description:
    'List the nodes with node group, instance type, spot or on-demand, readiness and allocatable capacity.',
  input: z.object({}),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  risk: 'low',
  handler: async (_args, { cluster }) => ({ nodes: await cluster.listNodes() }),
});
