import { z } from 'zod';
import { k8sTool } from '../deps.js';
import { dnsSubdomain, namespaceArg } from '../schemas.js';

export const listEvents = k8sTool({
  name: 'k8s_list_events',
  title: 'List events',
  description:
    'List recent Kubernetes events (most recent last), optionally for one namespace and one object name.',
  input: z.object({
    namespace: namespaceArg.optional(),
    object: dnsSubdomain
      .optional()
      .describe(
        "only events about the object with exactly this name (a deployment's ReplicaSets and pods have names of their own)",
      ),
    limit: z.number().int().min(1).max(200).default(50),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  risk: 'low',
  handler: async ({ namespace, object, limit }, { cluster }) => {
    const events = await cluster.listEvents(namespace, object);
    return { namespace: namespace ?? null, events: events.slice(-limit) };
  },
});
