import { buildManifest, inputSchemasOf } from '@devops-ai/mcp-kit';
import { k8sTools } from './tools/index.js';

export const K8S_SERVER_NAME = 'k8s';

/** Static manifest for the host's policy: tool names, read-only/destructive, risk. */
export const k8sManifest = buildManifest(K8S_SERVER_NAME, k8sTools);

/** Input schemas by tool name (static; the host validates arguments before policy and approval). */
export const k8sInputSchemas = inputSchemasOf(k8sTools);
