import type { AnyToolDefinition } from '@devops-ai/mcp-kit';
import type { K8sDeps } from '../deps.js';
import { deletePod } from './delete-pod.js';
import { describeResource } from './describe-resource.js';
import { getPodLogs } from './get-pod-logs.js';
import { listDeployments } from './list-deployments.js';
import { listEvents } from './list-events.js';
import { listHpas } from './list-hpas.js';
import { listNamespaces } from './list-namespaces.js';
import { listNodeGroups } from './list-node-groups.js';
import { listNodes } from './list-nodes.js';
import { listPods } from './list-pods.js';
import { listResourceQuotas } from './list-resource-quotas.js';
import { patchHpa } from './patch-hpa.js';
import { restartDeployment } from './restart-deployment.js';
import { scaleDeployment } from './scale-deployment.js';

export const k8sTools: readonly AnyToolDefinition<K8sDeps>[] = [
  listNamespaces,
  listDeployments,
  listPods,
  listHpas,
  listResourceQuotas,
  listNodes,
  listNodeGroups,
  listEvents,
  describeResource,
  getPodLogs,
  scaleDeployment,
  restartDeployment,
  patchHpa,
  deletePod,
];
