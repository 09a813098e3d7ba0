import type { ClusterPort } from '@devops-ai/core';
import { defineTool } from '@devops-ai/mcp-kit';

export interface K8sDeps {
  cluster: ClusterPort;
}

export const k8sTool = defineTool<K8sDeps>();
