import { z } from 'zod';
import { k8sTool } from '../deps.js';
import { dnsLabel, namespaceArg } from '../schemas.js';

export const patchHpa = k8sTool({
  name: 'k8s_patch_hpa',
  title: 'Patch HPA bounds',
  description:
    'Change the minReplicas and/or maxReplicas of a HorizontalPodAutoscaler. Runs only after approval.',
  input: z
    .object({
      namespace: namespaceArg,
      name: dnsLabel.describe('HPA name'),
      minReplicas: z.number().int().min(1).max(500).optional(),
      maxReplicas: z.number().int().min(1).max(500).optional(),
    })
    .refine((a) => a.minReplicas !== undefined || a.maxReplicas !== undefined, {
      message: 'give minReplicas, maxReplicas or both',
    })
    .refine(
      (a) => a.minReplicas === undefined || a.maxReplicas === undefined || a.minReplicas <= a.maxReplicas,
      {
        message: 'minReplicas must not exceed maxReplicas',
      },
    ),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  risk: 'medium',
  handler: async ({ namespace, name, minReplicas, maxReplicas }, { cluster }) =>
    cluster.patchHpa(namespace, name, {
      ...(minReplicas !== undefined ? { minReplicas } : {}),
      ...(maxReplicas !== undefined ? { maxReplicas } : {}),
    }),
});
