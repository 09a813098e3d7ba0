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

  it('reads capacity and HPA-advice requests as reads, and keeps an explicit HPA change apart', () => {
    const capacity = (service: string, namespace = 'prod') => [{ kind: 'capacity', namespace, service }];
    const advice = (service: string, namespace = 'prod') => [{ kind: 'hpa_advice', namespace, service }];
    expect(parseIntents('/capacity checkout-api')).toEqual(capacity('checkout-api'));
    expect(parseIntents('capacity plan for cart in staging')).toEqual(capacity('cart', 'staging'));
    expect(parseIntents('how many replicas will search need?')).toEqual(capacity('search'));
    expect(parseIntents('will checkout-api need more replicas this week?')).toEqual(capacity('checkout-api'));
    expect(parseIntents('will search hit its max replicas')).toEqual(capacity('search'));
    // No service: every deployment of the namespace.
    expect(parseIntents('/capacity')).toEqual([{ kind: 'capacity', namespace: 'prod', service: null }]);
    expect(parseIntents('/capacity staging')).toEqual([
      { kind: 'capacity', namespace: 'staging', service: null },
    ]);
    expect(parseIntents('will anything hit its max replicas tomorrow?')).toEqual([
      { kind: 'capacity', namespace: 'prod', service: null },
    ]);
    expect(parseIntents('/autoscale frontend')).toEqual(advice('frontend'));
    expect(parseIntents('/devops autoscale frontend')).toEqual(advice('frontend'));
    expect(parseIntents('recommend hpa settings for checkout-api')).toEqual(advice('checkout-api'));
    expect(parseIntents('tune the autoscaler of cart in staging')).toEqual(advice('cart', 'staging'));
    expect(parseIntents("what should search's hpa be?")).toEqual(advice('search'));
    // No service: every deployment of the namespace.
    expect(parseIntents('/autoscale')).toEqual([{ kind: 'hpa_advice', namespace: 'prod', service: null }]);
    expect(parseIntents('recommend hpa settings for staging')).toEqual([
      { kind: 'hpa_advice', namespace: 'staging', service: null },
    ]);
    // Advice never becomes a change: the explicit bound in the same message is its own intent.
    expect(parseIntents('suggest hpa settings for search and set max replicas for search to 12')).toEqual([
      ...advice('search'),
      { kind: 'hpa', namespace: 'prod', service: 'search', maxReplicas: 12, minReplicas: null },
    ]);
  });

  it('reads forecast and anomaly requests (the forecasting server) without taking them for other reads', () => {
    const predict = (
      service: string,
      namespace = 'prod',
      series = 'requests',
      hours: number | null = null,
    ) => [{ kind: 'predict', namespace, service, series, hours }];
    expect(parseIntents('/predict checkout-api')).toEqual(predict('checkout-api'));
    expect(parseIntents('forecast traffic for cart in staging')).toEqual(predict('cart', 'staging'));
    expect(parseIntents('predict the load of search')).toEqual(predict('search'));
    // a question about coming spikes is a traffic forecast a day ahead (its answer names the bursts)
    expect(parseIntents('will checkout-api spike?')).toEqual(predict('checkout-api', 'prod', 'requests', 24));
    expect(parseIntents('/bursts cart')).toEqual(predict('cart', 'prod', 'requests', 24));
    expect(parseIntents('will search have a traffic spike tomorrow?')).toEqual(
      predict('search', 'prod', 'requests', 24),
    );
    expect(parseIntents('any bursts coming for cart in staging in the next 12 hours')).toEqual(
      predict('cart', 'staging', 'requests', 12),
    );
    expect(parseIntents('when is the next peak for frontend')).toEqual(
      predict('frontend', 'prod', 'requests', 24),
    );
    // no service: every service of the namespace
    expect(parseIntents('/bursts')).toEqual([{ kind: 'bursts', namespace: 'prod', hours: 24 }]);
    expect(parseIntents('any traffic spikes expected in staging in the next 6 hours?')).toEqual([
      { kind: 'bursts', namespace: 'staging', hours: 6 },
    ]);
    expect(parseIntents('when is the next spike?')).toEqual([
      { kind: 'bursts', namespace: 'prod', hours: 24 },
    ]);
    expect(parseIntents('/predict')).toEqual([
      { kind: 'refuse', reason: 'Which service? Usage: /predict <service>' },
    ]);
    // the past is not a forecast
    expect(parseIntents('when did cart peak?').some((i) => i.kind === 'bursts' || i.kind === 'predict')).toBe(
      false,
    );
    expect(parseIntents('was there a spike yesterday?').some((i) => i.kind === 'bursts')).toBe(false);
    expect(parseIntents('why did cart spike?')).toEqual([
      { kind: 'why', namespace: 'prod', service: 'cart', symptom: 'general' },
    ]);
    // what and how far: CPU, latency or errors instead of traffic; hours, days or "tomorrow"
    expect(parseIntents('forecast cpu of checkout-api for the next 24 hours')).toEqual(
      predict('checkout-api', 'prod', 'cpu', 24),
    );
    expect(parseIntents('predict the latency of search tomorrow')).toEqual(
      predict('search', 'prod', 'latency', 24),
    );
    expect(parseIntents('/predict cart 12h')).toEqual(predict('cart', 'prod', 'requests', 12));
    expect(parseIntents('forecast the error rate for payments in staging over 2 days')).toEqual(
      predict('payments', 'staging', 'errors', 48),
    );
    expect(parseIntents('/anomaly payments')).toEqual([
      { kind: 'anomaly', namespace: 'prod', service: 'payments', hours: null },
    ]);
    expect(parseIntents('any anomalies in search?')).toEqual([
      { kind: 'anomaly', namespace: 'prod', service: 'search', hours: null },
    ]);
    expect(parseIntents('any anomalies in cart over the last 3 days?')).toEqual([
      { kind: 'anomaly', namespace: 'prod', service: 'cart', hours: 72 },
    ]);
    expect(parseIntents('anything unusual in the metrics of search in the past week')).toEqual([
      { kind: 'anomaly', namespace: 'prod', service: 'search', hours: 168 },
    ]);
    // no service: every service of the namespace
    const scan = (namespace = 'prod', hours: number | null = null) => [
      { kind: 'anomaly', namespace, service: null, hours },
    ];
    expect(parseIntents('/anomaly')).toEqual(scan());
    expect(parseIntents('/anomaly staging')).toEqual(scan('staging'));
    expect(parseIntents('any anomalies in prod?')).toEqual(scan());
    expect(parseIntents('anything unusual in staging?')).toEqual(scan('staging'));
    expect(parseIntents('anomalies')).toEqual(scan());
    expect(parseIntents('any anomalies in the last 3 days?')).toEqual(scan('prod', 72));
    expect(parseIntents('why is cart anomalous?')).toEqual([
      { kind: 'why', namespace: 'prod', service: 'cart', symptom: 'general' },
    ]);
    expect(parseIntents('/predict')).toEqual([
      { kind: 'refuse', reason: 'Which service? Usage: /predict <service>' },
    ]);
    // still a status read, and still a change
    expect(parseIntents('traffic of checkout-api')).toEqual([
      { kind: 'status', namespace: null, service: 'checkout-api' },
    ]);
    expect(parseIntents('forecast traffic for cart and scale it to 9').some((i) => i.kind === 'scale')).toBe(
      false,
    );
  });

  it('never turns "it" into a service to change', () => {
    const intents = parseIntents('how is checkout-api? also scale it to 0');
    expect(intents.some((i) => i.kind === 'scale')).toBe(false);
  });

  // Phrasings found by the eval suite (evals/scenarios/capabilities/phrasing-*.yaml).
  it('reads other ways of asking for a replica count', () => {
    const scale = (service: string, replicas: number) => [
      { kind: 'scale', namespace: 'prod', service, replicas },
    ];
    expect(parseIntents('bump checkout-api to 5 replicas')).toEqual(scale('checkout-api', 5));
    expect(parseIntents('set cart replicas to 4')).toEqual(scale('cart', 4));
    expect(parseIntents('increase replicas of search to 6')).toEqual(scale('search', 6));
    expect(parseIntents('scale checkout-api to four replicas')).toEqual(scale('checkout-api', 4));
  });

  it('restarts each deployment of a list, and drops words that are not names', () => {
    expect(
      parseIntents('restart cart, search and payments in staging').map(
        (i) => i.kind === 'restart' && i.service,
      ),
    ).toEqual(['cart', 'search', 'payments']);
    expect(parseIntents('restart cart and show me the logs')).toEqual([
      { kind: 'restart', namespace: 'prod', service: 'cart' },
    ]);
  });

  it('refuses changes to everything at once and rollbacks it has no tool for', () => {
    for (const t of [
      'restart all deployments in prod',
      'scale everything in prod to 0',
      'roll back payments',
    ]) {
      expect(parseIntents(t).map((i) => i.kind)).toEqual(['refuse']);
    }
  });

  it('answers metric questions and "is anything broken" with a status', () => {
    expect(parseIntents("what's the error rate of payments?")).toEqual([
      { kind: 'status', namespace: null, service: 'payments' },
    ]);
    expect(parseIntents('check checkout-api')).toEqual([
      { kind: 'status', namespace: null, service: 'checkout-api' },
    ]);
    expect(parseIntents('is anything broken?')).toEqual([{ kind: 'status', namespace: null, service: null }]);
    expect(parseIntents('how are things in prod')).toEqual([
      { kind: 'status', namespace: 'prod', service: null },
    ]);
  });

  // The Slack and Telegram channels pass these commands to the copilot as typed.
  it("reads the chat channels' command forms", () => {
    const scale = [{ kind: 'scale', namespace: 'prod', service: 'cart', replicas: 3 }];
    expect(parseIntents('/devops scale cart 3')).toEqual(scale);
    expect(parseIntents('/scale@devops_ai_bot cart 3')).toEqual(scale);
    expect(parseIntents('/analysis checkout-api')).toEqual([
      { kind: 'why', namespace: 'prod', service: 'checkout-api', symptom: 'general' },
    ]);
    expect(parseIntents('/status@devops_ai_bot')).toEqual([
      { kind: 'status', namespace: null, service: null },
    ]);
  });
});
