import { z } from 'zod';
import { k8sTool } from '../deps.js';
import { namespaceArg } from '../schemas.js';

export const listResourceQuotas = k8sTool({
  name: 'k8s_list_resource_quotas',
  title: 'List resource quotas',
  description:
    'List the ResourceQuotas of a namespace, by name: hard limits and current usage per resource as Kubernetes ' +
    'names it (pods, requests.cpu, requests.memory, limits.memory, count/deployments.apps, ...). CPU in cores, ' +
    'memory and storage in bytes, counts as counts. Used can exceed hard when a quota was lowered after the pods ' +
    'started. A namespace without quotas gives an empty list.',
  input: z.object({ namespace: namespaceArg }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  risk: 'low',
  handler: async ({ namespace }, { cluster }) => ({
    namespace,
    quotas: await cluster.listResourceQuotas(namespace),
  }),
});
