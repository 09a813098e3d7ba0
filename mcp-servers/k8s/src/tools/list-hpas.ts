import { z } from 'zod';
import { k8sTool } from '../deps.js';
import { namespaceArg } from '../schemas.js';

export const listHpas = k8sTool({
  name: 'k8s_list_hpas',
  title: 'List horizontal pod autoscalers',
  description: 'List the HPAs of a namespace: target, min/max replicas, CPU target and current utilisation.',
  input: z.object({ namespace: namespaceArg }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  risk: 'low',
  handler: async ({ namespace }, { cluster }) => ({ namespace, hpas: await cluster.listHpas(namespace) }),
});
