import { AIMessage, HumanMessage, type UsageMetadata } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import {
  approximateTokenCount,
  createUsageTracker,
  DEFAULT_PRICE_TABLE,
  estimateCostUsd,
  lookupPrice,
  modelAlias,
  type PriceTable,
  type UsageRecord,
} from './usage.js';

const tokens = (inputTokens: number, outputTokens: number, cacheReadTokens = 0, cacheWriteTokens = 0) => ({
  inputTokens,
  outputTokens,
  cacheReadTokens,
  cacheWriteTokens,
});

// Set after construction: AIMessageFields' generic typing rejects usage_metadata in this core version.
const reply = (usage: UsageMetadata) => Object.assign(new AIMessage('ok'), { usage_metadata: usage });

describe('price lookup', () => {
  it('strips dated snapshot suffixes but never falls back to a different model', () => {
    expect(modelAlias('gpt-4.1-mini-2025-04-14')).toBe('gpt-4.1-mini');
    expect(modelAlias('claude-haiku-4-5-20251001')).toBe('claude-haiku-4-5');
    expect(modelAlias('claude-3-5-haiku-latest')).toBe('claude-3-5-haiku');
    expect(lookupPrice('openai', 'gpt-4.1-mini-2025-04-14')).toEqual({
      input: 0.4,
      cacheRead: 0.1,
      output: 1.6,
    });
    // Regression guard: a prefix match would price gpt-5-pro as gpt-5 and gpt-4o-mini as gpt-4o.
    expect(lookupPrice('openai', 'gpt-5-pro')).toBeNull();
    expect(lookupPrice('openai', 'gpt-4o-mini')?.input).toBe(0.15);
    // An exact snapshot entry wins over its alias.
    expect(lookupPrice('openai', 'gpt-4o-2024-05-13')?.input).toBe(5);
    expect(lookupPrice('openai-compatible', 'gpt-4o')).toBeNull();
    expect(DEFAULT_PRICE_TABLE.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('prices uncached input, cache reads, cache writes and output separately', () => {
    // claude-sonnet-4-5: $3 in, $0.30 cache read, $3.75 cache write, $15 out per MTok.
    // 10k input of which 6k read from and 2k written to the cache, 1k output:
    // 2k·3 + 6k·0.3 + 2k·3.75 + 1k·15 = 6000 + 1800 + 7500 + 15000 = 30300 µ$ → $0.0303.
    expect(
      estimateCostUsd('anthropic', 'claude-sonnet-4-5', tokens(10_000, 1_000, 6_000, 2_000)),
    ).toBeCloseTo(0.0303, 12);
    // One million output tokens of claude-opus-4-1 cost $75.
    expect(estimateCostUsd('anthropic', 'claude-opus-4-1-20250805', tokens(0, 1_000_000))).toBeCloseTo(75, 9);
    expect(estimateCostUsd('openai', 'some-future-model', tokens(10, 10))).toBeNull();
    expect(estimateCostUsd('offline', 'planner', tokens(10, 10))).toBe(0);
  });

  it('accepts a caller-supplied price table', () => {
    const table: PriceTable = {
      asOf: '2030-01-01',
      models: { openai: { 'gpt-x': { input: 1, output: 2 } } },
      freeProviders: [],
    };
    expect(estimateCostUsd('openai', 'gpt-x', tokens(1_000_000, 1_000_000, 500_000), table)).toBeCloseTo(
      3,
      9,
    );
  });
});

describe('createUsageTracker', () => {
  it('accumulates per provider/model and totals, with null cost as soon as a model is unpriced', () => {
    const seen: UsageRecord[] = [];
    const tracker = createUsageTracker({ onRecord: (r) => seen.push(r) });
    tracker.record(reply({ input_tokens: 1000, output_tokens: 100, total_tokens: 1100 }), {
      provider: 'openai',
      model: 'gpt-4o-mini',
    });
    tracker.record(
      reply({
        input_tokens: 2000,
        output_tokens: 50,
        total_tokens: 2050,
        input_token_details: { cache_read: 1000 },
      }),
      { provider: 'openai', model: 'gpt-4o-mini' },
    );
    // gpt-4o-mini: (2000·0.15 + 1000·0.075 + 150·0.6) / 1e6 = (300 + 75 + 90) / 1e6.
    expect(tracker.totals()).toMatchObject({
      calls: 2,
      inputTokens: 3000,
      outputTokens: 150,
      totalTokens: 3150,
      unpricedModels: [],
      priceTableAsOf: DEFAULT_PRICE_TABLE.asOf,
    });
    expect(tracker.totals().costUsd).toBeCloseTo(0.000465, 12);
    expect(seen.map((r) => r.costUsd)).toEqual([expect.closeTo(0.00021, 12), expect.closeTo(0.000255, 12)]);

    tracker.record(reply({ input_tokens: 10, output_tokens: 5, total_tokens: 15 }), {
      provider: 'openai-compatible',
      model: 'llama3.1:8b',
    });
    const totals = tracker.totals();
    expect(totals.costUsd).toBeNull();
    expect(totals.unpricedModels).toEqual(['openai-compatible:llama3.1:8b']);
    expect(totals.byModel.map((m) => [m.provider, m.model, m.calls, m.costUsd === null])).toEqual([
      ['openai', 'gpt-4o-mini', 2, false],
      ['openai-compatible', 'llama3.1:8b', 1, true],
    ]);

    tracker.reset();
    expect(tracker.totals()).toMatchObject({ calls: 0, totalTokens: 0, costUsd: 0, byModel: [] });
  });

  it('ignores messages without usage metadata (the offline planner, human turns)', () => {
    const tracker = createUsageTracker();
    expect(
      tracker.record(new HumanMessage('hi'), { provider: 'anthropic', model: 'claude-haiku-4-5' }),
    ).toBeNull();
    expect(tracker.record(new AIMessage('plan'), { provider: 'offline', model: 'planner' })).toBeNull();
    expect(tracker.totals().calls).toBe(0);
  });

  it('returns a snapshot: mutating a totals result does not change the tracker', () => {
    const tracker = createUsageTracker();
    tracker.record(reply({ input_tokens: 1, output_tokens: 1, total_tokens: 2 }), {
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
    });
    const snapshot = tracker.totals();
    (snapshot.byModel[0] as { calls: number }).calls = 99;
    expect(tracker.totals().byModel[0]?.calls).toBe(1);
  });
});

describe('approximateTokenCount', () => {
  it('counts four characters a token over strings and text blocks, without any network', () => {
    expect(approximateTokenCount('12345678')).toBe(2);
    expect(approximateTokenCount([{ type: 'text', text: '123456789' }, { type: 'image_url' }, 'abc'])).toBe(
      3,
    );
    expect(approximateTokenCount(undefined)).toBe(0);
  });
});
