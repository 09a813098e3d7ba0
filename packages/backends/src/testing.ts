/** Test helpers for code built on the real backends (e.g. the k8s MCP server's own tests). */
export {
  type FakeKubeApiServer,
  type InjectedFailure,
  KUBE_FIXTURES_DIR,
  type RecordedRequest,
  startFakeKubeApiServer,
} from './kubernetes/testing/fake-apiserver.js';
