import { describe, expect, it } from 'vitest';
import { parseIntents } from './intents.js';

describe('parseIntents (offline planner)', () => {
  // Regression: the help text advertised "set max replicas for search to 12", but the bound's
  // number had to follow "max replicas" directly, so the sentence was not understood.
  it('reads an HPA bound whose number follows "for <service> to"', () => {
    expect(parseIntents('set max replicas for search to 12')).toEqual([
      { kind: 'hpa', namespace: 'prod', service: 'search', maxReplicas: 12, minReplicas: null },
    ]);
    expect(parseIntents('raise the min replicas of the cart hpa in staging to 2')).toEqual([
      { kind: 'hpa', namespace: 'staging', service: 'cart', maxReplicas: null, minReplicas: 2 },
    ]);
  });

  it('keeps two bounds of one sentence apart', () => {
    expect(parseIntents('set min replicas for cart to 3 and max to 9')).toEqual([
      { kind: 'hpa', namespace: 'prod', service: 'cart', maxReplicas: 9, minReplicas: 3 },
    ]);
    expect(parseIntents('set the hpa of search to max 12')).toEqual([
      { kind: 'hpa', namespace: 'prod', service: 'search', maxReplicas: 12, minReplicas: null },
    ]);
  });

  // Regression: normalise() turns apostrophes into spaces, so "what's" and "how's" never matched.
  it('understands "what\'s wrong with" and "how\'s" after apostrophes are normalised', () => {
    expect(parseIntents("what's wrong with payments?")).toEqual([
      { kind: 'why', namespace: 'prod', service: 'payments', symptom: 'general' },
    ]);
    expect(parseIntents("how's checkout-api in staging")).toEqual([
      { kind: 'status', namespace: 'staging', service: 'checkout-api' },
    ]);
  });

  it('never turns "it" into a service to change', () => {
    const intents = parseIntents('how is checkout-api? also scale it to 0');
    expect(intents.some((i) => i.kind === 'scale')).toBe(false);
  });
});
