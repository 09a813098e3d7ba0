import { z } from 'zod';
import { k8sTool } from '../deps.js';
import { dnsSubdomain, namespaceArg } from '../schemas.js';

export const deletePod = k8sTool({
  name: 'k8s_delete_pod',
  title: 'Delete a pod',
  description: 'Delete one pod (its controller replaces it). Destructive: runs only after approval.',
  input: z.object({ namespace: namespaceArg, name: dnsSubdomain.describe('pod name') }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
  risk: 'high',
  handler: async ({ namespace, name }, { cluster }) => cluster.deletePod(namespace, name),
});
