export { createHost, type Host, type HostOptions } from './app.js';
export { type ApprovalView, approvalView, describeApproval } from './approval-service.js';
export { attachChannels, type Channels, channelsConfigSchema } from './channels/index.js';
export { type HostConfig, hostConfigFromEnv, hostConfigSchema } from './config.js';
export type { AlertView, EventBus, HostEvent } from './events.js';
export { connectInProcessServers, type InProcessServers } from './in-process.js';
export { type RunningHost, startHost } from './serve.js';
export { createUserRegistry, DEMO_USERS, demoRegistry, type HostUser, type UserRegistry } from './users.js';
