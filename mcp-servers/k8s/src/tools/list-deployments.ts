import { z } from 'zod';
import { k8sTool } from '../deps.js';
import { namespaceArg } from '../schemas.js';

export const listDeployments = k8sTool({
  name: 'k8s_list_deployments',
  title: 'List deployments',
  description: 'List the deployments of a namespace with desired, ready and available replicas and images.',
  input: z.object({ namespace: namespaceArg }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  risk: 'low',
  handler: async ({ namespace }, { cluster }) => ({
    namespace,
    deployments: await cluster.listDeployments(namespace),
  }),
});
