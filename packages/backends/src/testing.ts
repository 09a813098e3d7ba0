/** Test helpers for code built on the real backends (e.g. the k8s MCP server's own tests). */
export {
  type FakeKubeApiServer,
  type InjectedFailure,
  KUBE_FIXTURES_DIR,
  type RecordedRequest,
  startFakeKubeApiServer,
} from './kubernetes/testing/fake-apiserver.js';
export {
  DEFAULT_LATENCY_CDF,
  modelSamples,
  renderExposition,
  renderOpenMetricsHistory,
  type ServiceModel,
  startTestExporter,
  type TestExporter,
} from './prometheus/testing/exporter.js';
export {
  PrometheusStartError,
  type RunningPrometheus,
  type StartPrometheusOptions,
  startPrometheus,
} from './prometheus/testing/prometheus-server.js';
