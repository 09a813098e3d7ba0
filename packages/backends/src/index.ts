export {
  createKubernetesCluster,
  KubernetesCluster,
  type KubernetesClusterConfig,
  type KubernetesClusterConfigInput,
  type KubernetesClusterDeps,
  kubernetesClusterConfigSchema,
} from './kubernetes/cluster.js';
export {
  mapDeployment,
  mapEvent,
  mapHpa,
  mapNamespace,
  mapNode,
  mapPod,
  nodeCapacityType,
  podDeployment,
  podDisplayStatus,
} from './kubernetes/mappers.js';
export { cpuToMillicores, memoryToBytes, parseQuantity, QuantityError } from './kubernetes/quantity.js';
