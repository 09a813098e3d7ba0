import { type AIMessage, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonFixture, type ReplayServer, sseFixture, startReplayServer } from './fixtures/replay-server.js';
import {
  captureConsole,
  PrefersStreamingHandler,
  SYSTEM_PROMPT,
  scaleDeploymentFunctionDefinition,
  scaleDeploymentJsonSchema,
  scaleDeploymentTool,
  TOOL_RESULT,
  USER_PROMPT,
} from './fixtures/tools.js';
import { isOpenAIReasoningModel } from './openai.js';
import {
  createProviderModel,
  createUsageTracker,
  ProviderAuthError,
  ProviderCallError,
} from './providers.js';

// Real `openai` SDK + @langchain/openai code paths against recorded Chat Completions responses
// (https://platform.openai.com/docs/api-reference/chat) served from 127.0.0.1.

const KEY = 'sk-test-d3v0ps41-0p3n41-k3y-n0t-r34l-1234567890';

describe('openai adapter (Chat Completions)', () => {
  let server: ReplayServer;
  beforeEach(async () => {
    server = await startReplayServer();
  });
  afterEach(async () => {
    await server.close();
  });

  const model = (extra: Record<string, unknown> = {}) =>
    createProviderModel({
      provider: 'openai',
      model: 'gpt-4.1-mini',
      apiKey: KEY,
      baseURL: `${server.origin}/v1`,
      ...extra,
    });

  it('runs a tool_calls turn, then a final answer after the tool message, and accounts tokens and cost', async () => {
    server.enqueue('POST', '/v1/chat/completions', jsonFixture('openai/chat-tool-calls.json'));
    server.enqueue('POST', '/v1/chat/completions', jsonFixture('openai/chat-final.json'));
    const tracker = createUsageTracker();
    const bound = model().bindTools([scaleDeploymentTool]);
    const history = [new SystemMessage(SYSTEM_PROMPT), new HumanMessage(USER_PROMPT)];

    const first = (await bound.invoke(history, { callbacks: [tracker.handler] })) as AIMessage;

    expect(first.tool_calls).toEqual([
      {
        type: 'tool_call',
        id: 'call_Q9mWf2Xc7Lk3Rt8Yp1Zs6Hd4',
        name: 'k8s_scale_deployment',
        args: { namespace: 'prod', name: 'checkout-api', replicas: 4 },
      },
    ]);
    expect(first.response_metadata).toMatchObject({ finish_reason: 'tool_calls' });

    const sent = server.requests[0];
    expect(sent?.method).toBe('POST');
    expect(sent?.path).toBe('/v1/chat/completions');
    expect(sent?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent?.headers['openai-organization']).toBeUndefined();
    expect(server.bodyOf(0)).toMatchObject({
      model: 'gpt-4.1-mini',
      temperature: 0,
      messages: [
        { role: 'system', content: SYSTEM_PROMPT },
        { role: 'user', content: USER_PROMPT },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'k8s_scale_deployment',
            description: 'Scale a deployment to a number of replicas. Mutating: needs approval.',
            parameters: scaleDeploymentJsonSchema,
          },
        },
      ],
    });
    expect(server.bodyOf(0).stream).toBeFalsy();

    const toolCallId = first.tool_calls?.[0]?.id ?? '';
    const second = (await bound.invoke(
      [...history, first, new ToolMessage({ tool_call_id: toolCallId, content: TOOL_RESULT })],
      { callbacks: [tracker.handler] },
    )) as AIMessage;

    expect(second.tool_calls).toEqual([]);
    expect(second.text).toBe('checkout-api in prod now runs 4 replicas (it had 2).');
    const messages = server.bodyOf(1).messages as Array<Record<string, unknown>>;
    expect(messages).toHaveLength(4);
    expect(messages[2]).toMatchObject({
      role: 'assistant',
      tool_calls: [
        {
          id: toolCallId,
          type: 'function',
          function: { name: 'k8s_scale_deployment' },
        },
      ],
    });
    const sentCalls = (messages[2]?.tool_calls ?? []) as Array<{ function: { arguments: string } }>;
    expect(JSON.parse(sentCalls[0]?.function.arguments ?? '')).toEqual({
      namespace: 'prod',
      name: 'checkout-api',
      replicas: 4,
    });
    expect(messages[3]).toEqual({ role: 'tool', tool_call_id: toolCallId, content: TOOL_RESULT });
    expect(server.pending()).toEqual([]);

    // 431 + 1490 prompt tokens (1024 of them cached), 27 + 18 completion tokens. gpt-4.1-mini:
    // $0.40 in, $0.10 cached, $1.60 out per MTok → (897·0.4 + 1024·0.1 + 45·1.6) / 1e6.
    const totals = tracker.totals();
    expect(totals).toMatchObject({ calls: 2, inputTokens: 1921, outputTokens: 45, totalTokens: 1966 });
    expect(totals.byModel).toEqual([
      expect.objectContaining({ provider: 'openai', model: 'gpt-4.1-mini', cacheReadTokens: 1024 }),
    ]);
    expect(totals.costUsd).toBeCloseTo(0.0005332, 10);
  });

  it('passes the OpenAI-style function definitions the copilot graph binds through unchanged', async () => {
    server.enqueue('POST', '/v1/chat/completions', jsonFixture('openai/chat-tool-calls.json'));
    const message = (await model()
      .bindTools([scaleDeploymentFunctionDefinition])
      .invoke([new SystemMessage(SYSTEM_PROMPT), new HumanMessage(USER_PROMPT)])) as AIMessage;

    expect(server.bodyOf(0).tools).toEqual([scaleDeploymentFunctionDefinition]);
    expect(message.tool_calls?.map((c) => c.args)).toEqual([
      { namespace: 'prod', name: 'checkout-api', replicas: 4 },
    ]);
  });

  it('parses streamed tool_calls deltas (SSE chunks, [DONE]) and the usage chunk', async () => {
    server.enqueue('POST', '/v1/chat/completions', sseFixture('openai/chat-tool-calls.sse'));
    const tracker = createUsageTracker();
    const message = (await model({ streaming: true })
      .bindTools([scaleDeploymentTool])
      .invoke([new HumanMessage(USER_PROMPT)], { callbacks: [tracker.handler] })) as AIMessage;

    expect(server.bodyOf(0)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(message.tool_calls).toEqual([
      expect.objectContaining({
        id: 'call_Vb4Nq8Ws1Ex5Rc9Tz2Ym7Ku3',
        name: 'k8s_scale_deployment',
        args: { namespace: 'prod', name: 'checkout-api', replicas: 4 },
      }),
    ]);
    expect(message.usage_metadata).toMatchObject({ input_tokens: 431, output_tokens: 27 });
    expect(tracker.totals()).toMatchObject({ calls: 1, inputTokens: 431, outputTokens: 27 });
  });

  it('streams when a callback prefers streaming (LangGraph streamMode "messages"), with the same result', async () => {
    server.enqueue('POST', '/v1/chat/completions', sseFixture('openai/chat-tool-calls.sse'));
    const tracker = createUsageTracker();
    const message = (await model()
      .bindTools([scaleDeploymentTool])
      .invoke([new HumanMessage(USER_PROMPT)], {
        callbacks: [tracker.handler, new PrefersStreamingHandler()],
      })) as AIMessage;

    expect(server.bodyOf(0)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(message.tool_calls?.map((c) => [c.name, c.args])).toEqual([
      ['k8s_scale_deployment', { namespace: 'prod', name: 'checkout-api', replicas: 4 }],
    ]);
    expect(tracker.totals()).toMatchObject({ calls: 1, inputTokens: 431, outputTokens: 27 });
  });

  it('maps 401 to a config_error without retrying, and never shows the key or its masked echo', async () => {
    server.enqueue('POST', '/v1/chat/completions', jsonFixture('openai/error-401.json'));
    const { error, output } = await captureConsole(() => model().invoke([new HumanMessage('hi')]));

    expect(error).toBeInstanceOf(ProviderAuthError);
    const err = error as ProviderAuthError;
    expect(err.code).toBe('config_error');
    expect(err.message).toMatch(/openai model gpt-4\.1-mini: .*HTTP 401 invalid_api_key.*OPENAI_API_KEY/);
    expect(err.details).toMatchObject({ status: 401, retryable: false });
    expect(server.requests).toHaveLength(1);
    for (const text of [err.message, JSON.stringify(err.details), String(err.stack), output]) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain('sk-test-');
    }
  });

  it('retries a 429 (honouring retry-after-ms) and then succeeds', async () => {
    server.enqueue('POST', '/v1/chat/completions', jsonFixture('openai/error-429.json'));
    server.enqueue('POST', '/v1/chat/completions', jsonFixture('openai/chat-final.json'));
    const started = Date.now();
    const message = (await model().invoke([new HumanMessage('status?')])) as AIMessage;

    expect(message.text).toBe('checkout-api in prod now runs 4 replicas (it had 2).');
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.headers['x-stainless-retry-count']).toBe('1');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('surfaces a rate limit that outlasts the retries as a retryable backend_error with the provider text', async () => {
    for (let i = 0; i < 3; i++)
      server.enqueue('POST', '/v1/chat/completions', jsonFixture('openai/error-429.json'));
    const error = await model()
      .invoke([new HumanMessage('status?')])
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProviderCallError);
    expect(error).toMatchObject({
      code: 'backend_error',
      details: { provider: 'openai', status: 429, providerErrorType: 'rate_limit_exceeded', retryable: true },
    });
    expect((error as Error).message).toContain('rate limited');
    expect((error as Error).message).toContain('Rate limit reached for gpt-4.1-mini');
    // Default: 2 SDK retries → 3 attempts, each recorded.
    expect(server.requests).toHaveLength(3);
  });

  it('maps an error object inside a 200 SSE stream to a retryable backend_error', async () => {
    server.enqueue('POST', '/v1/chat/completions', sseFixture('openai/chat-error-midstream.sse'));
    const error = await model({ streaming: true })
      .invoke([new HumanMessage('status?')])
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProviderCallError);
    expect(error).toMatchObject({
      code: 'backend_error',
      details: { provider: 'openai', providerErrorType: 'server_error', retryable: true },
    });
    expect((error as Error).message).toContain('failed mid-response (server_error)');
  });

  it('surfaces a persistent 500 as a retryable backend_error after the configured retries', async () => {
    for (let i = 0; i < 2; i++)
      server.enqueue('POST', '/v1/chat/completions', jsonFixture('openai/error-500.json'));
    const error = await model({ maxRetries: 1 })
      .invoke([new HumanMessage('status?')])
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'backend_error', details: { status: 500, retryable: true } });
    expect((error as Error).message).toContain('HTTP 500');
    expect(server.requests).toHaveLength(2);
  });

  it('uses the Responses API (same client, same key) for models that require it, with a function_call turn', async () => {
    server.enqueue('POST', '/v1/responses', jsonFixture('openai/responses-function-call.json'));
    server.enqueue('POST', '/v1/responses', jsonFixture('openai/responses-final.json'));
    const tracker = createUsageTracker();
    const bound = model({ model: 'gpt-5-codex' }).bindTools([scaleDeploymentTool]);
    const history = [new SystemMessage(SYSTEM_PROMPT), new HumanMessage(USER_PROMPT)];

    const first = (await bound.invoke(history, { callbacks: [tracker.handler] })) as AIMessage;
    expect(first.tool_calls).toEqual([
      expect.objectContaining({
        id: 'call_Zr7Tq2Wm9Xk4Lp1Vn6Yb3Hc8',
        name: 'k8s_scale_deployment',
        args: { namespace: 'prod', name: 'checkout-api', replicas: 4 },
      }),
    ]);
    expect(server.requests[0]?.path).toBe('/v1/responses');
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    const firstBody = server.bodyOf(0);
    expect(firstBody).toMatchObject({
      model: 'gpt-5-codex',
      tools: [{ type: 'function', name: 'k8s_scale_deployment', parameters: scaleDeploymentJsonSchema }],
    });
    // A reasoning model: no temperature on the wire.
    expect(firstBody).not.toHaveProperty('temperature');

    const toolCallId = first.tool_calls?.[0]?.id ?? '';
    const second = (await bound.invoke(
      [...history, first, new ToolMessage({ tool_call_id: toolCallId, content: TOOL_RESULT })],
      { callbacks: [tracker.handler] },
    )) as AIMessage;
    expect(second.text).toBe('checkout-api in prod now runs 4 replicas (it had 2).');
    const input = server.bodyOf(1).input as Array<Record<string, unknown>>;
    expect(input).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'function_call', call_id: toolCallId, name: 'k8s_scale_deployment' }),
        { type: 'function_call_output', call_id: toolCallId, output: TOOL_RESULT },
      ]),
    );

    // gpt-5-codex is not in the price table: tokens counted, cost unknown.
    expect(tracker.totals()).toMatchObject({ calls: 2, inputTokens: 942, outputTokens: 123, costUsd: null });
  });

  it('maps a request that outlasts timeoutMs to a retryable backend_error', async () => {
    server.enqueue('POST', '/v1/chat/completions', {
      ...jsonFixture('openai/chat-final.json'),
      delayMs: 5_000,
    });
    const started = Date.now();
    const error = await model({ timeoutMs: 1_000, maxRetries: 0 })
      .invoke([new HumanMessage('status?')])
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'backend_error', details: { provider: 'openai', retryable: true } });
    expect((error as Error).message).toBe('openai model gpt-4.1-mini: the request timed out');
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('tracks usage through callbacks given at construction, once per call', async () => {
    server.enqueue('POST', '/v1/chat/completions', jsonFixture('openai/chat-final.json'));
    const tracker = createUsageTracker();
    const withTracker = createProviderModel(
      { provider: 'openai', model: 'gpt-4.1-mini', apiKey: KEY, baseURL: `${server.origin}/v1` },
      { callbacks: [tracker.handler] },
    );
    await withTracker.bindTools([scaleDeploymentTool]).invoke([new HumanMessage('status?')]);
    expect(tracker.totals()).toMatchObject({ calls: 1, inputTokens: 1490, outputTokens: 18 });
  });

  it('sends the organization header when configured', async () => {
    server.enqueue('POST', '/v1/chat/completions', jsonFixture('openai/chat-final.json'));
    await model({ organization: 'org-devopsai' }).invoke([new HumanMessage('hi')]);
    expect(server.requests[0]?.headers['openai-organization']).toBe('org-devopsai');
  });

  it('leaves temperature out for reasoning models, which only accept the default', async () => {
    server.enqueue('POST', '/v1/chat/completions', jsonFixture('openai/chat-final.json'));
    server.enqueue('POST', '/v1/chat/completions', jsonFixture('openai/chat-final.json'));
    await model({ model: 'gpt-5-mini' }).invoke([new HumanMessage('hi')]);
    await model({ model: 'gpt-5-mini', temperature: 1 }).invoke([new HumanMessage('hi')]);

    expect(server.bodyOf(0)).toMatchObject({ model: 'gpt-5-mini' });
    expect(server.bodyOf(0)).not.toHaveProperty('temperature');
    expect(server.bodyOf(1)).toMatchObject({ temperature: 1 });
    expect(isOpenAIReasoningModel('o4-mini')).toBe(true);
    expect(isOpenAIReasoningModel('gpt-5-chat-latest')).toBe(false);
    expect(isOpenAIReasoningModel('gpt-4.1')).toBe(false);
  });
});

describe('openai-compatible adapter (Chat Completions at a custom base URL)', () => {
  let server: ReplayServer;
  beforeEach(async () => {
    server = await startReplayServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('calls {baseURL}/chat/completions without an Authorization header when no key is configured', async () => {
    server.enqueue(
      'POST',
      '/openai/v1/chat/completions',
      jsonFixture('openai-compatible/chat-tool-calls.json'),
    );
    server.enqueue('POST', '/openai/v1/chat/completions', jsonFixture('openai-compatible/chat-final.json'));
    const tracker = createUsageTracker();
    const bound = createProviderModel({
      provider: 'openai-compatible',
      baseURL: `${server.origin}/openai/v1/`,
      model: 'qwen2.5:7b-instruct',
    }).bindTools([scaleDeploymentTool]);
    const history = [new SystemMessage(SYSTEM_PROMPT), new HumanMessage(USER_PROMPT)];

    const first = (await bound.invoke(history, { callbacks: [tracker.handler] })) as AIMessage;
    expect(first.tool_calls).toEqual([
      {
        type: 'tool_call',
        id: 'call_h3k9x2m1',
        name: 'k8s_scale_deployment',
        args: { name: 'checkout-api', namespace: 'prod', replicas: 4 },
      },
    ]);
    const toolCallId = first.tool_calls?.[0]?.id ?? '';
    const second = (await bound.invoke(
      [...history, first, new ToolMessage({ tool_call_id: toolCallId, content: TOOL_RESULT })],
      { callbacks: [tracker.handler] },
    )) as AIMessage;
    expect(second.text).toBe('Done: checkout-api in prod is scaled to 4 replicas.');

    expect(server.requests.map((r) => r.path)).toEqual([
      '/openai/v1/chat/completions',
      '/openai/v1/chat/completions',
    ]);
    for (const request of server.requests) {
      expect(request.headers.authorization).toBeUndefined();
    }
    expect(server.bodyOf(0)).toMatchObject({
      model: 'qwen2.5:7b-instruct',
      temperature: 0,
      tools: [
        {
          type: 'function',
          function: { name: 'k8s_scale_deployment', parameters: scaleDeploymentJsonSchema },
        },
      ],
    });
    expect((server.bodyOf(1).messages as unknown[])[3]).toEqual({
      role: 'tool',
      tool_call_id: toolCallId,
      content: TOOL_RESULT,
    });

    // Self-hosted: tokens are counted, cost is unknown (null), never 0.
    const totals = tracker.totals();
    expect(totals).toMatchObject({ calls: 2, inputTokens: 850, outputTokens: 49, costUsd: null });
    expect(totals.unpricedModels).toEqual(['openai-compatible:qwen2.5:7b-instruct']);
  });

  it('sends the configured key as a bearer token and never uses the Responses API', async () => {
    server.enqueue('POST', '/openai/v1/chat/completions', jsonFixture('openai-compatible/chat-final.json'));
    // A model name that @langchain/openai's ChatOpenAI would route to the Responses API.
    await createProviderModel({
      provider: 'openai-compatible',
      baseURL: `${server.origin}/openai/v1`,
      model: 'gpt-5-codex',
      apiKey: 'local-proxy-key-123',
    }).invoke([new HumanMessage('hi')]);

    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.path).toBe('/openai/v1/chat/completions');
    expect(server.requests[0]?.headers.authorization).toBe('Bearer local-proxy-key-123');
  });

  it('maps 401 to a config_error naming OPENAI_COMPATIBLE_API_KEY', async () => {
    server.enqueue('POST', '/openai/v1/chat/completions', jsonFixture('openai/error-401.json'));
    const error = await createProviderModel({
      provider: 'openai-compatible',
      baseURL: `${server.origin}/openai/v1`,
      model: 'qwen2.5:7b-instruct',
      apiKey: 'wrong-key-abcdef',
    })
      .invoke([new HumanMessage('hi')])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'config_error',
      details: { provider: 'openai-compatible', status: 401 },
    });
    expect((error as Error).message).toContain('OPENAI_COMPATIBLE_API_KEY');
    expect((error as Error).message).not.toContain('wrong-key-abcdef');
  });
});
