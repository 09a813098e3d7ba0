import { z } from 'zod';
import { k8sTool } from '../deps.js';

export const listNamespaces = k8sTool({
  name: 'k8s_list_namespaces',
  title: 'List namespaces',
  description: 'List the namespaces of the cluster.',
  input: z.object({}),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  risk: 'low',
  handler: async (_args, { cluster }) => ({
    backend: cluster.backend,
    namespaces: await cluster.listNamespaces(),
  }),
});
