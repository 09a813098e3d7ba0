import { z } from 'zod';
import { k8sTool } from '../deps.js';
import { dnsLabel, labelSelector, namespaceArg } from '../schemas.js';

export const listPods = k8sTool({
  name: 'k8s_list_pods',
  title: 'List pods',
  description:
    'List the pods of a namespace with status (Running, CrashLoopBackOff, OOMKilled, Pending...), restarts and node. ' +
    'Filter by deployment name or by label selector.',
  input: z.object({
    namespace: namespaceArg,
    deployment: dnsLabel.optional().describe('only pods of this deployment'),
    labelSelector: labelSelector.optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  risk: 'low',
  handler: async ({ namespace, deployment, labelSelector }, { cluster }) => {
    let pods = await cluster.listPods(namespace, labelSelector);
    if (deployment) pods = pods.filter((p) => p.deployment === deployment);
    return { namespace, pods };
  },
});
