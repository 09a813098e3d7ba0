export { cpuToMillicores, memoryToBytes, parseQuantity, QuantityError } from '@devops-ai/core';
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
export { PrometheusClient, parseSampleValue } from './prometheus/client.js';
export {
  createPrometheusMetrics,
  PrometheusMetrics,
  type PrometheusMetricsConfig,
  type PrometheusMetricsConfigInput,
  type PrometheusMetricsDeps,
  prometheusMetricsConfigSchema,
} from './prometheus/metrics.js';
export {
  DEFAULT_TEMPLATES,
  escapeLabelValue,
  type GoldenSignalTemplates,
  renderTemplate,
} from './prometheus/promql.js';
