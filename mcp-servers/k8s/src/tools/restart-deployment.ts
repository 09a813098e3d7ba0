import { z } from 'zod';
import { k8sTool } from '../deps.js';
import { dnsLabel, namespaceArg } from '../schemas.js';

export const restartDeployment = k8sTool({
  name: 'k8s_restart_deployment',
  title: 'Rollout restart a deployment',
  description:
    'Rolling restart of a deployment (as kubectl rollout restart). Changes the cluster: runs only after approval.',
  input: z.object({ namespace: namespaceArg, name: dnsLabel.describe('deployment name') }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  risk: 'medium',
  handler: async ({ namespace, name }, { cluster }) => cluster.rolloutRestart(namespace, name),
});
