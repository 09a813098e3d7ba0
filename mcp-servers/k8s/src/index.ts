export type { K8sDeps } from './deps.js';
export { K8S_SERVER_NAME, k8sInputSchemas, k8sManifest } from './manifest.js';
export { createK8sServer, type K8sServerOptions } from './server.js';
export { k8sTools } from './tools/index.js';
