import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { createOfflineModel } from './offline/model.js';
import {
  createProviderModel,
  describeProviderModel,
  type ProviderModelConfig,
  parseModelSpec,
} from './providers.js';
import type { UsageTracker } from './usage.js';

export { parseIntents } from './offline/intents.js';
export { createOfflineModel, OfflineChatModel } from './offline/model.js';
export * from './providers.js';
export * from './usage.js';

export type ModelConfig = { provider: 'offline' } | ProviderModelConfig;

export interface SelectedModel {
  model: BaseChatModel;
  /** e.g. "offline", "anthropic:claude-sonnet-4-5" — never contains a key */
  label: string;
}

/** Resolves `offline`, `anthropic:<model>`, `openai:<model>` or `openai-compatible:<baseURL>#<model>`. */
export function selectModel(
  spec: string | undefined,
  env: Record<string, string | undefined>,
  usage?: UsageTracker,
): SelectedModel {
  if (!spec || spec === 'offline') return { model: createOfflineModel(), label: 'offline' };
  const cfg = parseModelSpec(spec, env);
  return {
    model: createProviderModel(cfg, usage ? { callbacks: [usage.handler] } : {}),
    label: describeProviderModel(cfg),
  };
}
