/**
 * Intent parsing for the offline model: turns a chat message into a list of intents with their
 * arguments. Deterministic, regular-expression based, deliberately conservative: when unsure it
 * asks instead of guessing a change.
 */

export type Symptom = 'slow' | 'errors' | 'restarts' | 'general';

export type Intent =
  | { kind: 'help' }
  | { kind: 'status'; namespace: string | null; service: string | null }
  | { kind: 'why'; namespace: string; service: string; symptom: Symptom }
  | { kind: 'logs'; namespace: string; target: string; isPod: boolean }
  | { kind: 'alerts'; namespace: string | null; service: string | null }
  | {
      kind: 'list';
      what: 'pods' | 'deployments' | 'nodes' | 'hpas' | 'events' | 'namespaces';
      namespace: string;
    }
  | {
      kind: 'describe';
      resource: 'deployment' | 'pod' | 'hpa' | 'node' | 'namespace';
      name: string;
      namespace: string;
    }
  | { kind: 'scale'; namespace: string; service: string; replicas: number }
  | { kind: 'restart'; namespace: string; service: string }
  | {
      kind: 'hpa';
      namespace: string;
      service: string;
      minReplicas: number | null;
      maxReplicas: number | null;
    }
  | { kind: 'delete_pod'; namespace: string; pod: string }
  | {
      kind: 'predict';
      namespace: string;
      service: string;
      /** What to forecast: traffic unless the words name CPU, latency or errors. */
      series: 'requests' | 'cpu' | 'latency' | 'errors';
      /** Hours ahead when asked ("next 12 hours", "tomorrow"), else null (the default horizon). */
      hours: number | null;
    }
  /**
   * `hours`: the window asked for ("over the last 3 days"), else null (the last 12 hours). `service`
   * null: every service of the namespace ("/anomaly", "any anomalies in prod?").
   */
  | { kind: 'anomaly'; namespace: string; service: string | null; hours: number | null }
  /**
   * Replicas needed over the next day from the CPU forecast, and when the HPA maximum is hit; for
   * every deployment of the namespace when no service is named.
   */
  | { kind: 'capacity'; namespace: string; service: string | null }
  /** Traffic spikes expected for every service of the namespace over the next `hours` (24 unless asked). */
  | { kind: 'bursts'; namespace: string; hours: number }
  /**
   * HPA settings recommended by replaying the CPU history through the HPA algorithm (read-only); for
   * every deployment of the namespace when no service is named.
   */
  | { kind: 'hpa_advice'; namespace: string; service: string | null }
  | { kind: 'refuse'; reason: string }
  | { kind: 'unknown' };

export const MUTATING_INTENTS = new Set(['scale', 'restart', 'hpa', 'delete_pod']);

const NS_ALIASES: Record<string, string> = {
  prod: 'prod',
  production: 'prod',
  staging: 'staging',
  stage: 'staging',
  dev: 'dev',
  default: 'default',
  'kube-system': 'kube-system',
  monitoring: 'monitoring',
};

const NOT_A_NAME = new Set([
  'the',
  'a',
  'an',
  'it',
  'all',
  'every',
  'everything',
  'cluster',
  'service',
  'services',
  'deployment',
  'deployments',
  'pod',
  'pods',
  'my',
  'our',
  'this',
  'that',
  'in',
  'of',
  'for',
  'to',
  'prod',
  'production',
  'staging',
  'namespace',
  'so',
  'up',
  'down',
  'and',
  'is',
  'are',
  'things',
  'stuff',
  'going',
  'doing',
  'anything',
  'something',
  'nothing',
  'any',
  'we',
  'you',
  // time words: "anomalies in the last 12 hours" names no service
  'last',
  'past',
  'next',
]);

const NAME = '([a-z0-9][a-z0-9.-]*[a-z0-9]|[a-z0-9])';

const NUMBER_WORDS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
};

function normalise(text: string): string {
  return (
    text
      .toLowerCase()
      .trim()
      // The chat channels' command forms: Slack's "/devops scale x 3", Telegram's "/scale@bot x 3".
      .replace(/^\/devops(?:_ai)?\s+([a-z_]+)/, '/$1')
      .replace(/^\/([a-z_]+)@[a-z0-9_]+/, '/$1')
      .replace(/[`'"“”‘’]/g, ' ')
      .replace(/[?!,]/g, ' ')
      .replace(/\s+/g, ' ')
      // "to four replicas" → "to 4 replicas" (only after "to", so names are never touched)
      .replace(
        /\bto (zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b/g,
        (_m, w: string) => `to ${NUMBER_WORDS[w]}`,
      )
      .trim()
  );
}

/** Namespace named in the text ("in prod", "namespace staging", "-n prod"), or null. */
export function findNamespace(text: string): string | null {
  const explicit = /\b(?:namespace|ns|-n)\s+([a-z0-9][a-z0-9-]*)/.exec(text);
  if (explicit?.[1]) return NS_ALIASES[explicit[1]] ?? explicit[1];
  const inNs =
    /\b(?:in|on|from|of)\s+(?:the\s+)?(prod|production|staging|stage|dev|default|kube-system|monitoring)\b/.exec(
      text,
    );
  if (inNs?.[1]) return NS_ALIASES[inNs[1]] ?? inNs[1];
  const bare = /\b(prod|production|staging)\b/.exec(text);
  if (bare?.[1]) return NS_ALIASES[bare[1]] ?? null;
  return null;
}

function cleanName(raw: string | undefined): string | null {
  if (!raw) return null;
  const n = raw.replace(/\.+$/, '');
  if (NOT_A_NAME.has(n) || NS_ALIASES[n]) return null;
  return n;
}

/** Looks like a pod name: deployment name plus ReplicaSet hash and pod suffix. */
export function looksLikePod(name: string): boolean {
  return /-[a-z0-9]{5,10}-[a-z0-9]{5}$/.test(name);
}

function splitClauses(text: string): string[] {
  return text
    .split(
      /;|\bthen\b|\balso\b|\band\s+(?=(?:then\s+)?(?:scale|restart|delete|remove|kill|set|patch|raise|lower|bounce|roll)\b)/,
    )
    .map((c) => c.trim())
    .filter(Boolean);
}

/** Words naming what to forecast (and "traffic" words), never a service name. */
const SERIES_WORDS =
  'traffic|load|requests|bursts?|spikes?|cpu|cpu\\s+usage|latency|p95\\s+latency|errors|error\\s+rate|error\\s+ratio';

function seriesOf(clause: string): 'requests' | 'cpu' | 'latency' | 'errors' {
  if (/\bcpu\b/.test(clause)) return 'cpu';
  if (/\blatenc\w*|\bp9[59]\b|\bresponse\s+times?\b/.test(clause)) return 'latency';
  if (/\berrors?\b|\berror\s+(?:rate|ratio)\b/.test(clause)) return 'errors';
  return 'requests';
}

/** "next 12 hours", "6h", "2 days", "tomorrow" → hours; null when no horizon is named. */
function hoursOf(clause: string): number | null {
  const m = /\b(\d{1,3})\s*(h|hrs?|hours?|d|days?)\b/.exec(clause);
  if (m?.[1] && m[2]) return Number(m[1]) * (m[2].startsWith('d') ? 24 : 1);
  if (/\b(?:tomorrow|next\s+day|next\s+24)\b/.test(clause)) return 24;
  if (/\b(?:next|coming)\s+(?:few\s+)?hours?\b/.test(clause)) return null;
  if (/\b(?:this|next|coming|last|past)\s+week\b/.test(clause)) return 7 * 24;
  if (/\b(?:last|past)\s+day\b/.test(clause)) return 24;
  return null;
}

/**
 * The service an HPA-advice request is about: a string, '' for "/autoscale" without a service, or
 * undefined when the clause is not asking for advice.
 */
function adviceTarget(clause: string): string | undefined {
  const command = /^\/autoscale\b/.test(clause);
  const asks =
    command ||
    (/\b(?:hpa|autoscal\w*)\b/.test(clause) &&
      /\b(?:recommend\w*|suggest\w*|advi[cs]e\w*|tune|tuning|right-?siz\w*|optimi[sz]\w*|what\s+should)\b/.test(
        clause,
      ));
  if (!asks) return undefined;
  const stripped = clause.replace(/\b(?:for|of|on)\s+(?:the\s+|its\s+)?(?:hpa|autoscaler)\b/g, '');
  return (
    cleanName(new RegExp(`^/autoscale\\s+${NAME}`).exec(clause)?.[1]) ??
    cleanName(new RegExp(`\\b(?:for|of|on)\\s+(?:the\\s+)?${NAME}`).exec(stripped)?.[1]) ??
    cleanName(
      // "search's hpa", not the verb in "recommend hpa settings"
      new RegExp(`${NAME}(?:\\s+s)?\\s+(?:hpa|autoscaler)\\b`)
        .exec(clause)?.[1]
        ?.replace(
          /^(?:recommend\w*|suggest\w*|advi[cs]e\w*|tune|tuning|optimi[sz]\w*|right-?siz\w*|should|be)$/,
          '',
        ),
    ) ??
    ''
  );
}

function parseClause(clause: string, defaultNs: string): Intent | Intent[] | null {
  const ns = findNamespace(clause) ?? defaultNs;

  if (/^\/?help\b|what can you do|\bhow do i use\b/.test(clause)) return { kind: 'help' };

  // ---- changes ------------------------------------------------------------------------------
  if (
    /\b(?:delete|remove|kill|wipe|destroy)\b.*\b(?:every|all)\b.*\bpods?\b|\b(?:delete|remove|kill)\s+(?:all|every)\b/.test(
      clause,
    )
  ) {
    return {
      kind: 'refuse',
      reason:
        'I will not delete pods in bulk. Name one pod and I will ask an approver, or scale/restart the deployment instead.',
    };
  }
  if (
    /\b(?:restart|bounce|redeploy|scale)\s+(?:all|every(?:thing)?)\b|\b(?:restart|bounce|scale)\b.*\b(?:all|every)\s+(?:the\s+)?(?:deployments|services)\b/.test(
      clause,
    )
  ) {
    return {
      kind: 'refuse',
      reason:
        'I will not change every deployment at once. Name the deployments one by one and each gets its own approval.',
    };
  }
  if (/\broll\s*back\b|\brollback\b|\brollout\s+undo\b/.test(clause)) {
    return {
      kind: 'refuse',
      reason:
        'Rolling back is not one of my tools. Run `kubectl rollout undo deployment/<name> -n <namespace>`, or ask me to restart or scale the deployment (an approver approves it).',
    };
  }
  const del = new RegExp(`\\b(?:delete|remove|kill)\\s+(?:the\\s+)?pod\\s+${NAME}`).exec(clause);
  if (del?.[1]) return { kind: 'delete_pod', namespace: ns, pod: del[1] };

  const hpaMention = /\b(?:hpa|autoscal\w*|max(?:imum)?\s+replicas|min(?:imum)?\s+replicas)\b/.test(clause);
  // Advice about the HPA is a read, whatever else the sentence says: "recommend hpa settings for cart",
  // "what should checkout-api's hpa be", "/autoscale cart". It never changes anything itself.
  const advice = adviceTarget(clause);
  if (advice !== undefined) {
    // "/autoscale", "recommend hpa settings for staging": every deployment of the namespace.
    return { kind: 'hpa_advice', namespace: ns, service: advice || null };
  }
  const hpaChange =
    /\b(?:set|patch|raise|lower|increase|decrease|change|bump)\b/.test(clause) || /\/hpa\b/.test(clause);
  if (hpaMention && hpaChange) {
    // "max 12", "max replicas = 12", and "max replicas for search to 12" (the bound's number
    // follows the next "to", before any other bound is named).
    const bound = (word: 'max' | 'min') =>
      new RegExp(`\\b${word}(?:imum)?(?:\\s+replicas)?\\s*(?:to|=|of|at)?\\s*(\\d+)`).exec(clause) ??
      new RegExp(`\\b${word}(?:imum)?\\b(?:(?!\\b(?:max|min)(?:imum)?\\b)[^0-9])*?\\bto\\s+(\\d+)`).exec(
        clause,
      );
    const max = bound('max');
    const min = bound('min');
    const svc =
      cleanName(
        new RegExp(`\\b(?:for|of|on)\\s+(?:the\\s+)?${NAME}`).exec(
          clause.replace(/\b(?:for|of|on)\s+(?:the\s+)?(?:hpa|autoscaler)\b/g, ''),
        )?.[1],
      ) ?? cleanName(new RegExp(`${NAME}(?:'s)?\\s+(?:hpa|autoscaler)`).exec(clause)?.[1]);
    if (svc && (max || min)) {
      return {
        kind: 'hpa',
        namespace: ns,
        service: svc,
        maxReplicas: max?.[1] ? Number(max[1]) : null,
        minReplicas: min?.[1] ? Number(min[1]) : null,
      };
    }
  }

  const scale =
    new RegExp(`^/scale\\s+${NAME}\\s+(\\d+)`).exec(clause) ??
    new RegExp(
      `\\bscale\\s+(?:up\\s+|down\\s+|out\\s+|in\\s+)?(?:the\\s+)?(?:deployment\\s+|service\\s+)?${NAME}\\b.*?\\bto\\s+(\\d+)\\b`,
    ).exec(clause) ??
    new RegExp(
      `\\b(?:set|increase|raise|bump|decrease|reduce|lower|change)\\s+(?:the\\s+)?(?:replicas|replica\\s+count|number\\s+of\\s+replicas)\\s+(?:of|for)\\s+(?:the\\s+)?(?:deployment\\s+|service\\s+)?${NAME}\\b.*?\\bto\\s+(\\d+)\\b`,
    ).exec(clause) ??
    // "set cart replicas to 4", "bump checkout-api to 5 replicas"
    new RegExp(
      `\\b(?:set|increase|raise|bump|decrease|reduce|lower)\\s+(?:the\\s+)?(?:deployment\\s+|service\\s+)?${NAME}(?:\\s+s)?\\s+(?:replicas|replica\\s+count)\\s+to\\s+(\\d+)\\b`,
    ).exec(clause) ??
    new RegExp(
      `\\b(?:bump|increase|decrease|reduce|lower)\\s+(?:the\\s+)?(?:deployment\\s+|service\\s+)?${NAME}\\s+to\\s+(\\d+)\\s+replicas?\\b`,
    ).exec(clause);
  if (scale?.[1] && scale[2]) {
    const svc = cleanName(scale[1]);
    if (svc) return { kind: 'scale', namespace: ns, service: svc, replicas: Number(scale[2]) };
  }

  const restart =
    new RegExp(`^/restart\\s+${NAME}`).exec(clause) ??
    new RegExp(
      `\\b(?:rollout\\s+restart|restart|bounce|redeploy)\\s+(?:the\\s+)?(?:deployment\\s+|service\\s+)?${NAME}((?:\\s+${NAME})*\\s+and\\s+${NAME})?`,
    ).exec(clause);
  if (restart?.[1]) {
    // "restart payments and cart", "restart cart, search and payments" (commas are gone by now):
    // one restart each. Words that are not names ("in", "prod", "show") drop out.
    const more = (restart[2] ?? '').split(' ').filter((w) => w !== '' && w !== 'and');
    const verbs =
      /^(?:show|tell|give|list|get|check|see|look|watch|describe|wait|let|then|also|me|now|please)$/;
    const names = [restart[1], ...more.filter((n) => !verbs.test(n))]
      .map((n) => cleanName(n))
      .filter((n): n is string => n !== null);
    const unique = [...new Set(names)];
    if (unique.length === 1) return { kind: 'restart', namespace: ns, service: unique[0] as string };
    if (unique.length > 1) return unique.map((service) => ({ kind: 'restart', namespace: ns, service }));
  }

  // ---- reads --------------------------------------------------------------------------------
  const describe = new RegExp(`\\bdescribe\\s+(deployment|pod|hpa|node|namespace)\\s+${NAME}`).exec(clause);
  if (describe?.[1] && describe[2]) {
    return {
      kind: 'describe',
      resource: describe[1] as 'deployment' | 'pod' | 'hpa' | 'node' | 'namespace',
      name: describe[2],
      namespace: ns,
    };
  }

  if (/\blogs?\b/.test(clause)) {
    const target =
      cleanName(new RegExp(`^/logs\\s+${NAME}`).exec(clause)?.[1]) ??
      cleanName(
        new RegExp(
          `\\blogs?\\s+(?:of|for|from)\\s+(?:the\\s+)?(?:pod\\s+|deployment\\s+|service\\s+)?${NAME}`,
        ).exec(clause)?.[1],
      ) ??
      cleanName(new RegExp(`${NAME}\\s+logs?\\b`).exec(clause)?.[1]);
    if (target) return { kind: 'logs', namespace: ns, target, isPod: looksLikePod(target) };
  }

  // Capacity planning, before "forecast …" and "how is X": "/capacity cart", "capacity plan for cart",
  // "how many replicas will checkout-api need", "will search hit its max replicas".
  if (
    /^\/capacity\b|\bcapacity\b|\bhow\s+many\s+(?:replicas|pods|nodes)\b|\bneed\s+more\s+(?:replicas|pods|nodes)\b|\b(?:hit|reach|run\s+out\s+of)\s+(?:its\s+|the\s+)?(?:max(?:imum)?\s+replicas|hpa\s+max(?:imum)?|replica\s+limit)\b/.test(
      clause,
    )
  ) {
    const svc =
      cleanName(new RegExp(`^/capacity\\s+${NAME}`).exec(clause)?.[1]) ??
      cleanName(
        new RegExp(`\\b(?:does|do|will|would)\\s+(?:the\\s+)?${NAME}\\s+(?:need|hit|reach|run)\\b`).exec(
          clause,
        )?.[1],
      ) ??
      cleanName(new RegExp(`\\b(?:of|for|on)\\s+(?:the\\s+)?${NAME}`).exec(clause)?.[1]);
    if (svc) return { kind: 'capacity', namespace: ns, service: svc };
    // "/capacity", "/capacity staging", "will anything hit its max replicas", "capacity of the cluster".
    return { kind: 'capacity', namespace: ns, service: null };
  }
  // Forecasts and anomaly detection (the forecasting server), before "analyse X" and "traffic of X".
  // Questions about coming bursts are traffic forecasts (their answer names the burst windows):
  // "/bursts cart", "any traffic spikes expected for cart?", "will search have a spike tomorrow?".
  // Not about the past: "when did cart peak?", "was there a spike yesterday?".
  const burstQuestion =
    /^\/bursts?\b/.test(clause) ||
    (/\b(?:spikes?|bursts?|surges?|peaks?)\b/.test(clause) &&
      /\b(?:expect\w*|coming|upcoming|next|tomorrow|tonight|ahead|will|when)\b/.test(clause) &&
      !/\b(?:did|was|were|yesterday|ago|happened|last|past)\b/.test(clause));
  if (
    burstQuestion ||
    /^\/predict\b|\bpredict\w*\b|\bforecast\w*\b|\bwill\s+\S+\s+(?:spike|burst)\b/.test(clause)
  ) {
    const svc =
      cleanName(new RegExp(`^/(?:predict|bursts?)\\s+${NAME}`).exec(clause)?.[1]) ??
      cleanName(new RegExp(`\\bwill\\s+(?:the\\s+)?${NAME}\\s+(?:spike|burst)`).exec(clause)?.[1]) ??
      cleanName(new RegExp(`\\bwill\\s+(?:the\\s+)?${NAME}\\s+(?:have|get|see|hit)\\b`).exec(clause)?.[1]) ??
      cleanName(
        new RegExp(
          `\\b(?:predict\\w*|forecast\\w*)\\s+(?:the\\s+)?(?:(?:${SERIES_WORDS})\\s+)?(?:(?:of|for|on|at)\\s+)?(?:the\\s+)?${NAME}`,
        ).exec(clause)?.[1],
      ) ??
      cleanName(new RegExp(`\\b(?:of|for|on)\\s+(?:the\\s+)?${NAME}`).exec(clause)?.[1]);
    if (svc && !new RegExp(`^(?:${SERIES_WORDS}|next|tomorrow|today)$`).test(svc))
      return {
        kind: 'predict',
        namespace: ns,
        service: svc,
        series: burstQuestion ? 'requests' : seriesOf(clause),
        // A burst is looked for over the next day unless another horizon is asked for.
        hours: hoursOf(clause) ?? (burstQuestion ? 24 : null),
      };
    if (/^\/predict\b/.test(clause))
      return { kind: 'refuse', reason: 'Which service? Usage: /predict <service>' };
    // No service named: every service of the namespace ("/bursts", "any spikes expected in prod?").
    if (burstQuestion && !/^\/predict\b|\bpredict\w*\b|\bforecast\w*\b/.test(clause))
      return { kind: 'bursts', namespace: ns, hours: hoursOf(clause) ?? 24 };
  }
  if (/^\/anomaly\b|\banomal\w*|\b(?:anything|something)\s+(?:unusual|odd|anomalous)\b/.test(clause)) {
    const svc =
      cleanName(new RegExp(`^/anomaly\\s+${NAME}`).exec(clause)?.[1]) ??
      cleanName(
        new RegExp(
          `\\b(?:in|of|for|on|with|about)\\s+(?:the\\s+)?(?:metrics\\s+(?:of|for)\\s+)?${NAME}`,
        ).exec(clause)?.[1],
      );
    if (svc) return { kind: 'anomaly', namespace: ns, service: svc, hours: hoursOf(clause) };
    // No service named: every service of the namespace ("/anomaly", "any anomalies in prod?",
    // "anything unusual?"), unless the sentence is about something else ("why is cart anomalous").
    if (
      /^\/anomaly\b/.test(clause) ||
      (!/\bwhy\b/.test(clause) &&
        (/\b(?:any|all|every|scan|find|show|list|check)\b.*\banomal\w*/.test(clause) ||
          /^anomal\w*\b/.test(clause) ||
          /\b(?:anything|something)\s+(?:unusual|odd|anomalous)\b/.test(clause)))
    )
      return { kind: 'anomaly', namespace: ns, service: null, hours: hoursOf(clause) };
  }

  const why =
    new RegExp(
      `\\bwhy\\s+(?:is|are|does|do|did|has|have)\\s+(?:the\\s+)?(?:service\\s+|deployment\\s+)?${NAME}`,
    ).exec(clause) ??
    // normalise() turns apostrophes into spaces: "what's" arrives as "what s".
    new RegExp(`\\bwhat(?:\\s+s|\\s+is)?\\s+wrong\\s+with\\s+(?:the\\s+)?${NAME}`).exec(clause) ??
    new RegExp(
      `\\b(?:investigate|debug|diagnose|troubleshoot|analy[sz]e|analysis)\\s+(?:the\\s+)?${NAME}`,
    ).exec(clause);
  if (why?.[1]) {
    const svc = cleanName(why[1]);
    if (svc) {
      const symptom: Symptom = /\b(?:slow|latenc\w*|timeouts?|sluggish)\b/.test(clause)
        ? 'slow'
        : /\b(?:errors?|erroring|5\d\d|failing|fails|failures?)\b/.test(clause)
          ? 'errors'
          : /\b(?:restart\w*|crash\w*|oom\w*|dying|down)\b/.test(clause)
            ? 'restarts'
            : 'general';
      return { kind: 'why', namespace: ns, service: svc, symptom };
    }
  }

  if (/\balerts?\b|\bfiring\b|\bpaging\b/.test(clause)) {
    const svc = cleanName(new RegExp(`\\b(?:for|on|of)\\s+(?:the\\s+)?${NAME}`).exec(clause)?.[1]);
    return { kind: 'alerts', namespace: findNamespace(clause), service: svc };
  }

  const list =
    /\b(?:list|show|get|which|what)\s+(?:me\s+)?(?:all\s+)?(?:the\s+)?(pods|deployments|nodes|hpas?|autoscalers|events|namespaces)\b/.exec(
      clause,
    );
  if (list?.[1]) {
    const what = list[1].startsWith('hpa') || list[1] === 'autoscalers' ? 'hpas' : list[1];
    return { kind: 'list', what: what as 'pods', namespace: ns };
  }

  const metric = new RegExp(
    `\\b(?:error\\s+rate|errors|latency|traffic|throughput|cpu|memory)\\s+(?:of|for|on)\\s+(?:the\\s+)?${NAME}|^check\\s+(?:on\\s+)?(?:the\\s+)?${NAME}`,
  ).exec(clause);
  const metricSvc = cleanName(metric?.[1] ?? metric?.[2]);
  if (metricSvc) return { kind: 'status', namespace: findNamespace(clause), service: metricSvc };
  if (/\b(?:anything|something)\s+(?:broken|wrong|down|failing|on\s+fire)\b/.test(clause))
    return { kind: 'status', namespace: findNamespace(clause), service: null };

  if (/\b(?:status|health|healthy|how\s+is|how\s+are|how\s+s|overview|state)\b|^\/status\b/.test(clause)) {
    const svc =
      cleanName(new RegExp(`^/status\\s+${NAME}`).exec(clause)?.[1]) ??
      cleanName(
        new RegExp(
          `\\b(?:status|health)\\s+(?:of|for)\\s+(?:the\\s+)?(?:service\\s+|deployment\\s+)?${NAME}`,
        ).exec(clause)?.[1],
      ) ??
      cleanName(new RegExp(`\\bhow(?:\\s+is|\\s+s|\\s+are)\\s+(?:the\\s+)?${NAME}`).exec(clause)?.[1]) ??
      cleanName(new RegExp(`\\b${NAME}\\s+(?:status|health)\\b`).exec(clause)?.[1]);
    return { kind: 'status', namespace: findNamespace(clause), service: svc };
  }
  return null;
}

/** All intents of a message, in order. Unknown text yields one `unknown` intent. */
export function parseIntents(message: string): Intent[] {
  const text = normalise(message);
  const defaultNs = findNamespace(text) ?? 'prod';
  const intents: Intent[] = [];
  for (const clause of splitClauses(text)) {
    const intent = parseClause(clause, defaultNs);
    if (Array.isArray(intent)) intents.push(...intent);
    else if (intent) intents.push(intent);
  }
  return intents.length > 0 ? intents : [{ kind: 'unknown' }];
}
