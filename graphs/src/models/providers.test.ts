import { ChatAnthropic } from '@langchain/anthropic';
import { ChatOpenAI, ChatOpenAICompletions } from '@langchain/openai';
import { describe, expect, it } from 'vitest';
import {
  createProviderModel,
  describeProviderModel,
  ProviderConfigError,
  parseModelSpec,
  parseProviderModelConfig,
} from './providers.js';

const ANTHROPIC_KEY = 'sk-ant-api03-SECRET-never-print-me-0001';
const OPENAI_KEY = 'sk-proj-SECRET-never-print-me-0002';
const env = {
  ANTHROPIC_API_KEY: ANTHROPIC_KEY,
  OPENAI_API_KEY: OPENAI_KEY,
  OPENAI_COMPATIBLE_API_KEY: undefined,
};

function configErrorOf(run: () => unknown): ProviderConfigError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ProviderConfigError);
    return err as ProviderConfigError;
  }
  throw new Error('expected a ProviderConfigError');
}

describe('parseModelSpec', () => {
  it('parses anthropic:<model> and openai:<model> with keys from the given env', () => {
    expect(parseModelSpec('anthropic:claude-sonnet-4-5', env)).toEqual({
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      apiKey: ANTHROPIC_KEY,
    });
    expect(parseModelSpec(' openai:gpt-4.1-mini ', env)).toEqual({
      provider: 'openai',
      model: 'gpt-4.1-mini',
      apiKey: OPENAI_KEY,
    });
  });

  it('parses openai-compatible:<baseURL>#<model>, splitting at the last # and keeping : in model names', () => {
    expect(parseModelSpec('openai-compatible:http://127.0.0.1:11434/v1/#llama3.1:8b', env)).toEqual({
      provider: 'openai-compatible',
      baseURL: 'http://127.0.0.1:11434/v1',
      model: 'llama3.1:8b',
    });
    expect(
      parseModelSpec('openai-compatible:https://llm.internal/openai/v1#meta-llama/Llama-3.1-8B-Instruct', {
        OPENAI_COMPATIBLE_API_KEY: 'local-key',
      }),
    ).toEqual({
      provider: 'openai-compatible',
      baseURL: 'https://llm.internal/openai/v1',
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      apiKey: 'local-key',
    });
  });

  it('names the missing variable when a key is absent or blank', () => {
    const anthropic = configErrorOf(() => parseModelSpec('anthropic:claude-haiku-4-5', {}));
    expect(anthropic.code).toBe('config_error');
    expect(anthropic.message).toBe(
      '--model anthropic:claude-haiku-4-5 needs an API key: set ANTHROPIC_API_KEY',
    );
    const openai = configErrorOf(() => parseModelSpec('openai:gpt-4o', { OPENAI_API_KEY: '   ' }));
    expect(openai.message).toContain('set OPENAI_API_KEY');
    expect(openai.details).toEqual({ provider: 'openai', variable: 'OPENAI_API_KEY' });
  });

  it('rejects malformed specs with a config_error that lists the accepted forms', () => {
    for (const spec of ['anthropic:', 'openai', 'gemini:pro', 'offline', '']) {
      const err = configErrorOf(() => parseModelSpec(spec, env));
      expect(err.code).toBe('config_error');
      expect(err.message).toMatch(/anthropic:<model>/);
    }
    for (const spec of [
      'openai-compatible:http://127.0.0.1:8000/v1',
      'openai-compatible:http://127.0.0.1:8000/v1#',
      'openai-compatible:#model',
    ]) {
      expect(configErrorOf(() => parseModelSpec(spec, env)).message).toContain(
        'openai-compatible:<baseURL>#<model>',
      );
    }
    expect(configErrorOf(() => parseModelSpec('openai-compatible:ftp://host/v1#m', env)).message).toContain(
      'baseURL: must be an http(s) URL',
    );
    expect(configErrorOf(() => parseModelSpec('anthropic:claude sonnet', env)).message).toContain('model:');
  });

  it('never echoes a key in its errors', () => {
    const errors = [
      configErrorOf(() => parseModelSpec('anthropic:bad model name', env)),
      configErrorOf(() => parseModelSpec('openai-compatible:http://u:pw@host/v1#m', env)),
      configErrorOf(() =>
        parseProviderModelConfig({
          provider: 'openai',
          model: 'gpt-4o',
          apiKey: OPENAI_KEY,
          extra: OPENAI_KEY,
        }),
      ),
      configErrorOf(() => parseProviderModelConfig({ provider: 'anthropic', model: 'x', apiKey: 42 })),
    ];
    for (const err of errors) {
      const text = `${err.message} ${JSON.stringify(err.details)}`;
      expect(text).not.toContain('SECRET');
      expect(text).not.toContain(':pw@');
    }
  });
});

describe('providerModelConfigSchema / createProviderModel', () => {
  it('rejects unknown providers, unknown fields and out-of-range values', () => {
    expect(
      configErrorOf(() => parseProviderModelConfig({ provider: 'cohere', model: 'x' })).message,
    ).toContain('provider');
    expect(
      configErrorOf(() =>
        parseProviderModelConfig({
          provider: 'openai-compatible',
          model: 'x',
          baseURL: 'http://h/v1',
          organization: 'o',
        }),
      ).message,
    ).toContain('organization');
    expect(
      configErrorOf(() =>
        parseProviderModelConfig({ provider: 'anthropic', model: 'x', apiKey: 'k', temperature: 1.5 }),
      ).message,
    ).toContain('temperature');
    expect(
      configErrorOf(() => parseProviderModelConfig({ provider: 'anthropic', model: 'x', apiKey: '' }))
        .message,
    ).toContain('apiKey');
    expect(
      configErrorOf(() =>
        createProviderModel({ provider: 'openai', model: 'gpt-4o', apiKey: 'k', timeoutMs: 5 }),
      ).message,
    ).toContain('timeoutMs');
  });

  it('builds the LangChain class each provider needs, with tool binding and temperature 0', () => {
    const anthropic = createProviderModel({ provider: 'anthropic', model: 'claude-haiku-4-5', apiKey: 'k' });
    expect(anthropic).toBeInstanceOf(ChatAnthropic);
    expect((anthropic as ChatAnthropic).temperature).toBe(0);
    expect((anthropic as ChatAnthropic).maxTokens).toBe(4096);

    const openai = createProviderModel({ provider: 'openai', model: 'gpt-4.1-mini', apiKey: 'k' });
    expect(openai).toBeInstanceOf(ChatOpenAI);
    expect((openai as ChatOpenAI).temperature).toBe(0);

    const compatible = createProviderModel({
      provider: 'openai-compatible',
      baseURL: 'http://127.0.0.1:11434/v1',
      model: 'llama3.1:8b',
    });
    // Chat Completions only: not the ChatOpenAI router that can switch to the Responses API.
    expect(compatible).toBeInstanceOf(ChatOpenAICompletions);
    expect(compatible).not.toBeInstanceOf(ChatOpenAI);

    for (const model of [anthropic, openai, compatible]) {
      expect(typeof model.bindTools).toBe('function');
    }
  });

  it('refuses an explicit temperature the model cannot take, as a config_error', () => {
    const err = configErrorOf(() =>
      createProviderModel({ provider: 'anthropic', model: 'claude-opus-4-7', apiKey: 'k', temperature: 0.2 }),
    );
    expect(err.message).toContain('temperature');
  });

  it('describes a config for reports without its key', () => {
    expect(describeProviderModel(parseModelSpec('anthropic:claude-sonnet-4-5', env))).toBe(
      'anthropic:claude-sonnet-4-5',
    );
    expect(
      describeProviderModel(parseModelSpec('openai-compatible:http://127.0.0.1:8000/v1#qwen', env)),
    ).toBe('openai-compatible:http://127.0.0.1:8000/v1#qwen');
  });
});
