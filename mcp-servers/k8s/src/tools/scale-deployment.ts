import { z } from 'zod';
import { k8sTool } from '../deps.js';
import { dnsLabel, namespaceArg } from '../schemas.js';

export const scaleDeployment = k8sTool({
  name: 'k8s_scale_deployment',
  title: 'Scale a deployment',
  description:
    'Set the replica count of a deployment. Changes the cluster: runs only after a human approves this exact call. ' +
    'Note an HPA on the deployment may override a manual count.',
  input: z.object({
    namespace: namespaceArg,
    name: dnsLabel.describe('deployment name'),
    replicas: z.number().int().min(0).max(500),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  risk: 'medium',
  handler: async ({ namespace, name, replicas }, { cluster }) =>
    cluster.scaleDeployment(namespace, name, replicas),
});
