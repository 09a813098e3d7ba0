import { z } from 'zod';
import { k8sTool } from '../deps.js';
import { dnsSubdomain, namespaceArg } from '../schemas.js';

export const describeResource = k8sTool({
  name: 'k8s_describe_resource',
  title: 'Describe a resource',
  description: 'Describe a deployment, pod, HPA, node or namespace: the full object and its recent events.',
  input: z.object({
    kind: z.enum(['deployment', 'pod', 'hpa', 'node', 'namespace']),
    name: dnsSubdomain,
    namespace: namespaceArg.optional().describe('required for namespaced kinds'),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  risk: 'low',
  handler: async ({ kind, name, namespace }, { cluster }) => cluster.describe(kind, name, namespace),
});
