import { type AIMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { SYSTEM_PROMPT, scaleDeploymentFunctionDefinition, USER_PROMPT } from './fixtures/tools.js';
import {
  createProviderModel,
  createUsageTracker,
  describeProviderModel,
  lookupPrice,
  parseModelSpec,
} from './providers.js';

// Live smoke tests against the real providers. Skipped unless DEVOPS_AI_LIVE_LLM=1 and the
// provider's key is set, so `npm test` never spends money or needs the network by accident:
//   DEVOPS_AI_LIVE_LLM=1 ANTHROPIC_API_KEY=… npx vitest run graphs/src/models/providers.int.test.ts
// Model choice: DEVOPS_AI_LIVE_ANTHROPIC / DEVOPS_AI_LIVE_OPENAI / DEVOPS_AI_LIVE_OPENAI_COMPATIBLE
// (a full spec, e.g. openai-compatible:http://127.0.0.1:11434/v1#qwen2.5:7b-instruct).

const env = process.env;
const live = env.DEVOPS_AI_LIVE_LLM === '1';

const specs: Array<{ spec: string; enabled: boolean }> = [
  {
    spec: `anthropic:${env.DEVOPS_AI_LIVE_ANTHROPIC ?? 'claude-haiku-4-5'}`,
    enabled: live && !!env.ANTHROPIC_API_KEY,
  },
  {
    spec: `openai:${env.DEVOPS_AI_LIVE_OPENAI ?? 'gpt-4.1-mini'}`,
    enabled: live && !!env.OPENAI_API_KEY,
  },
  {
    spec: env.DEVOPS_AI_LIVE_OPENAI_COMPATIBLE ?? 'openai-compatible:http://127.0.0.1:11434/v1#unset',
    enabled: live && !!env.DEVOPS_AI_LIVE_OPENAI_COMPATIBLE,
  },
];

for (const { spec, enabled } of specs) {
  describe.skipIf(!enabled)(`live ${spec.split(':')[0]}`, () => {
    it('proposes k8s_scale_deployment with the right arguments and reports usage', async () => {
      const config = parseModelSpec(spec, env);
      const tracker = createUsageTracker();
      const message = (await createProviderModel(config)
        .bindTools([scaleDeploymentFunctionDefinition])
        .invoke([new SystemMessage(SYSTEM_PROMPT), new HumanMessage(USER_PROMPT)], {
          callbacks: [tracker.handler],
        })) as AIMessage;

      expect(message.tool_calls?.[0]).toMatchObject({
        name: 'k8s_scale_deployment',
        args: { namespace: 'prod', name: 'checkout-api', replicas: 4 },
      });
      const totals = tracker.totals();
      expect(totals.inputTokens).toBeGreaterThan(0);
      expect(totals.outputTokens).toBeGreaterThan(0);
      if (lookupPrice(config.provider, config.model)) expect(totals.costUsd).toBeGreaterThan(0);
      else expect(totals.costUsd).toBeNull();
      console.info(`${describeProviderModel(config)}: ${JSON.stringify(totals)}`);
    }, 60_000);
  });
}
