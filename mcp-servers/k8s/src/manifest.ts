import { buildManifest } from '@devops-ai/mcp-kit';
import { k8sTools } from './tools/index.js';

export const K8S_SERVER_NAME = 'k8s';

/** Static manifest for the host's policy: tool names, read-only/destructive, risk. */
export const k8sManifest = buildManifest(K8S_SERVER_NAME, k8sTools);
