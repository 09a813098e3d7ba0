import { AIMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { OfflineChatModel } from './model.js';

const TOOLS = [
  'k8s_list_deployments',
  'k8s_scale_deployment',
  'k8s_delete_pod',
  'k8s_restart_deployment',
].map((name) => ({ type: 'function', function: { name } }));

describe('OfflineChatModel.plan', () => {
  // Regression: a change that needs no lookup (delete pod) was proposed in the first step while the
  // earlier one (scale, which resolves its name first) came a step later, so the smuggled second
  // change was the first — and for a while the only — approval an approver saw.
  it('proposes the changes of one message together, in the order the user gave them, after the reads', () => {
    const model = new OfflineChatModel({});
    const human = new HumanMessage('scale cart to 3, then delete pod cart-abcde12345-xyz12');
    const first = model.plan([human], TOOLS);
    expect(first.tool_calls?.map((c) => c.name)).toEqual(['k8s_list_deployments']);

    const call = first.tool_calls?.[0];
    const listed = new ToolMessage({
      tool_call_id: call?.id ?? '',
      name: 'k8s_list_deployments',
      content: JSON.stringify({
        deployments: [{ name: 'cart', namespace: 'prod', replicas: 2, readyReplicas: 2 }],
      }),
    });
    const second = model.plan(
      [human, new AIMessage({ content: '', tool_calls: first.tool_calls ?? [] }), listed],
      TOOLS,
    );
    expect(second.tool_calls?.map((c) => [c.name, c.args])).toEqual([
      ['k8s_scale_deployment', { namespace: 'prod', name: 'cart', replicas: 3 }],
      ['k8s_delete_pod', { namespace: 'prod', name: 'cart-abcde12345-xyz12' }],
    ]);
  });

  it('proposes a lone change that needs no lookup at once', () => {
    const plan = new OfflineChatModel({}).plan([new HumanMessage('delete pod cart-abcde12345-xyz12')], TOOLS);
    expect(plan.tool_calls?.map((c) => c.name)).toEqual(['k8s_delete_pod']);
  });
});

describe('OfflineChatModel refusals', () => {
  // Regression: "restart search; then delete all pods" showed only the restart's approval request;
  // the refusal of the bulk delete appeared only after an approver had decided.
  it('says what it refuses in the same turn as the tool calls for the rest', () => {
    const plan = new OfflineChatModel({}).plan(
      [new HumanMessage('delete pod cart-abcde12345-xyz12; then delete all pods in prod')],
      TOOLS,
    );
    expect(plan.tool_calls?.map((c) => c.name)).toEqual(['k8s_delete_pod']);
    expect(plan.content).toMatch(/will not delete pods in bulk/);
  });
});
