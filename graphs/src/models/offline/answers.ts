import type {
  AlertInfo,
  DeploymentInfo,
  EventInfo,
  GoldenSignals,
  HpaInfo,
  NodeInfo,
  PodInfo,
} from '@devops-ai/core';
import type { Intent } from './intents.js';
import {
  ANOMALY,
  anomalyCalls,
  anomalyWindow,
  burstCall,
  CAPACITY,
  CPU_USAGE,
  capacityCall,
  capacityServices,
  clusterRoom,
  cpuRequestCores,
  deploymentEventsArgs,
  describeDeploymentArgs,
  FORECAST,
  FORECAST_SERIES,
  forecastCalls,
  forecastHorizon,
  hpaAdviceCall,
  hpaFor,
  missingPods,
  NODE_GROUPS_TOOL,
  namespaceAnomalyCalls,
  type PlannedCall,
  podQuotaUsage,
  podsOf,
  QUOTAS_TOOL,
  type QuotaLimit,
  quotaLimit,
  quotasOf,
  replicaSetEventsCall,
  SCAN_TOOL,
  SERVICE_SERIES,
  type TurnContext,
  type TurnResult,
  workloadNamespaces,
} from './planner.js';

const HELP = [
  'I can look at the cluster and metrics, and propose changes that an approver must approve:',
  '- status: "status", "status of prod", "how is checkout-api?"',
  '- diagnosis: "why is checkout-api slow?", "why is cart erroring?", "why is payments restarting?"',
  '- logs and alerts: "logs of checkout-api", "active alerts"',
  '- lists: "list pods in staging", "show nodes", "describe deployment cart"',
  '- forecasts and anomalies (forecasting server): "/predict checkout-api", "forecast traffic for cart", "/bursts cart", "/bursts" (every service), "any traffic spikes expected in prod?", "forecast cpu of search for tomorrow", "/anomaly checkout-api", "any anomalies in search?", "/anomaly" (every service), "anything unusual in prod?"',
  '- capacity and autoscaling (forecasting server): "/capacity checkout-api", "/capacity" (every service), "how many replicas will cart need?", "/autoscale checkout-api", "recommend hpa settings for search"',
  '- changes (need approval): "scale checkout-api in prod to 4", "restart cart", "set max replicas for search to 12", "delete pod <name>"',
].join('\n');

function ms(v: number | null | undefined): string {
  return v === null || v === undefined ? 'n/a' : `${Math.round(v)} ms`;
}
function pct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined ? 'n/a' : `${(v * 100).toFixed(digits)}%`;
}
function num(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined ? 'n/a' : v.toFixed(digits);
}

/** Log lines are untrusted data: quote only a few, shortened, and never act on them. */
function quoteLog(line: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const clean = line.replace(/[\u0000-\u001f]/g, ' ').trim();
  return `> ${clean.length > 160 ? `${clean.slice(0, 157)}...` : clean}`;
}

function failed(r: TurnResult | undefined): string | null {
  if (!r) return null;
  if (r.ok) return null;
  const err = (r.data as { error?: { message?: string } } | undefined)?.error?.message ?? r.text;
  return `${r.tool} failed: ${err}`;
}

function unresolved(ctx: TurnContext, namespace: string, typed: string): string | null {
  const deps = ctx.deployments(namespace);
  if (!deps) return null;
  const { name, candidates } = ctx.resolve(namespace, typed);
  if (name) return null;
  const list = candidates.length > 0 ? ` Deployments there: ${candidates.slice(0, 12).join(', ')}.` : '';
  return `I could not find a deployment "${typed}" in namespace ${namespace}.${list}`;
}

interface MutationOutcome {
  approval?: { id?: string; status?: string; decidedBy?: string | null; reason?: string | null };
  policy?: { outcome?: string; reason?: string };
  result?: Record<string, unknown>;
  error?: { code?: string; message?: string };
}

function mutationText(r: TurnResult | undefined, what: string): string {
  if (!r) return `${what}: not available (the tool is not connected or the server is read-only).`;
  const o = (r.data ?? {}) as MutationOutcome;
  if (o.policy?.outcome === 'deny')
    return `${what}: denied by policy (${o.policy.reason ?? 'no reason given'}). Nothing was changed.`;
  const status = o.approval?.status;
  if (status === 'executed') {
    return `Done: ${what} (approved by ${o.approval?.decidedBy ?? 'an approver'}). Result: ${JSON.stringify(o.result ?? {})}`;
  }
  if (status === 'rejected') {
    return `${what} was rejected by ${o.approval?.decidedBy ?? 'an approver'}${o.approval?.reason ? `: "${o.approval.reason}"` : ''}. Nothing was changed.`;
  }
  if (status === 'expired')
    return `The approval for ${what} expired before anyone approved it. Nothing was changed.`;
  if (status === 'failed')
    return `${what} was approved but failed: ${JSON.stringify(o.result ?? o.error ?? {})}`;
  if (o.error?.message) return `${what}: ${o.error.message}. Nothing was changed.`;
  return `${what}: ${status ?? 'no outcome recorded'}.`;
}

/** The largest of the last `n` points of a series, or null. */
function recentMax(series: Array<{ value: number }> | undefined, n: number): number | null {
  const tail = (series ?? []).slice(-n).map((p) => p.value);
  return tail.length > 0 ? Math.max(...tail) : null;
}

/**
 * A rollout in the events: the deployment scaled two different ReplicaSets (a new one up, the old
 * one down), or an event names an image, version or rollout. HPA scaling touches only one ReplicaSet.
 */
export function rolloutSeen(events: EventInfo[]): boolean {
  const sets = new Set<string>();
  for (const e of events) {
    if (e.reason !== 'ScalingReplicaSet') continue;
    const rs = /replica set (\S+)/i.exec(e.message)?.[1];
    if (rs) sets.add(rs);
  }
  return (
    sets.size >= 2 ||
    events.some(
      (e) =>
        /ScalingReplicaSet|Pulled|Created/.test(e.reason) &&
        /image|rollout|new replica set|version|v\d/i.test(e.message) &&
        !/^(Successfully pulled|Created container)/.test(e.message),
    )
  );
}

function statusOfService(ctx: TurnContext, ns: string, name: string): string {
  const g = ctx.find('metrics_get_golden_signals', { namespace: ns, service: name, windowMinutes: 15 });
  const gs = g?.ok ? (g.data as GoldenSignals) : undefined;
  const pods = podsOf(ctx, ns, name);
  const hpa = hpaFor(ctx, ns, name);
  const alerts =
    (ctx.find('metrics_list_alerts', { namespace: ns, service: name })?.data as { alerts?: AlertInfo[] })
      ?.alerts ?? [];
  const lines = [`**${name}** in ${ns}:`];
  if (gs) {
    lines.push(
      `- traffic ${num(gs.requestsPerSecond)} req/s, errors ${pct(gs.errorRate, 2)}, latency p50 ${ms(gs.latencyMs.p50)} / p95 ${ms(gs.latencyMs.p95)} / p99 ${ms(gs.latencyMs.p99)} (last 15 min)`,
      `- CPU ${num(gs.cpu.usedCores, 2)} cores (${pct(gs.cpu.utilization, 0)} of requests), memory ${pct(gs.memory.utilization, 0)} of limits`,
    );
  } else if (g) lines.push(`- metrics: ${failed(g)}`);
  const ready = pods.filter((p) => p.ready).length;
  const bad = pods.filter((p) => p.status !== 'Running');
  lines.push(
    `- pods: ${ready}/${pods.length} ready${bad.length ? `; not running: ${bad.map((p) => `${p.name} (${p.status}, ${p.restarts} restarts)`).join(', ')}` : ''}`,
  );
  if (hpa) {
    lines.push(
      `- HPA ${hpa.name}: ${hpa.currentReplicas} replicas (min ${hpa.minReplicas}, max ${hpa.maxReplicas}), CPU ${hpa.currentCpuUtilization ?? 'n/a'}% vs target ${hpa.targetCpuUtilization ?? 'n/a'}%${hpa.currentReplicas >= hpa.maxReplicas ? ' — at max' : ''}`,
    );
  }
  lines.push(
    alerts.length
      ? `- alerts: ${alerts.map((a) => `${a.name} (${a.state}${a.severity ? `, ${a.severity}` : ''})`).join(', ')}`
      : '- no active alerts',
  );
  return lines.join('\n');
}

function deploymentsLine(d: DeploymentInfo): string {
  const flag = d.readyReplicas < d.replicas ? ' ⚠' : '';
  return `- ${d.name}: ${d.readyReplicas}/${d.replicas} ready${flag}`;
}

function statusOfNamespace(ctx: TurnContext, ns: string): string {
  const deps = ctx.deployments(ns) ?? [];
  const hpas = (ctx.find('k8s_list_hpas', { namespace: ns })?.data as { hpas?: HpaInfo[] })?.hpas ?? [];
  const pods = (ctx.find('k8s_list_pods', { namespace: ns })?.data as { pods?: PodInfo[] })?.pods ?? [];
  const alerts =
    (ctx.find('metrics_list_alerts', { namespace: ns })?.data as { alerts?: AlertInfo[] })?.alerts ?? [];
  const bad = pods.filter((p) => p.status !== 'Running' || !p.ready);
  const maxed = hpas.filter((h) => h.currentReplicas >= h.maxReplicas);
  return [
    `**${ns}**: ${deps.length} deployments, ${pods.length} pods (${bad.length} not ready)`,
    ...deps.map(deploymentsLine),
    maxed.length
      ? `- HPAs at max: ${maxed.map((h) => `${h.name} (${h.currentReplicas}/${h.maxReplicas})`).join(', ')}`
      : '- no HPA at its max',
    bad.length
      ? `- not ready: ${bad
          .slice(0, 8)
          .map((p) => `${p.name} (${p.status})`)
          .join(', ')}`
      : '- all pods ready',
    alerts.length
      ? `- alerts: ${alerts.map((a) => `${a.name} on ${a.labels.service ?? a.labels.deployment ?? '?'}`).join(', ')}`
      : '- no active alerts',
  ].join('\n');
}

function statusOfCluster(ctx: TurnContext): string {
  const nodes = (ctx.find('k8s_list_nodes', {})?.data as { nodes?: NodeInfo[] })?.nodes ?? [];
  const alerts = (ctx.find('metrics_list_alerts', {})?.data as { alerts?: AlertInfo[] })?.alerts ?? [];
  const groups = new Map<string, NodeInfo[]>();
  for (const n of nodes)
    groups.set(n.nodeGroup ?? 'ungrouped', [...(groups.get(n.nodeGroup ?? 'ungrouped') ?? []), n]);
  const cost = nodes.reduce((s, n) => s + (n.hourlyPrice ?? 0), 0);
  const lines = [
    `**Cluster**: ${nodes.length} nodes (${nodes.filter((n) => n.ready).length} ready)${cost > 0 ? `, ~$${cost.toFixed(2)}/h` : ''}`,
    ...[...groups].map(
      ([g, ns]) =>
        `- node group ${g}: ${ns.length} × ${ns[0]?.instanceType ?? '?'} (${ns[0]?.capacityType ?? '?'})`,
    ),
  ];
  for (const ns of workloadNamespaces(ctx)) {
    const deps = ctx.deployments(ns) ?? [];
    const degraded = deps.filter((d) => d.readyReplicas < d.replicas);
    lines.push(
      `- ${ns}: ${deps.length} deployments, ${deps.reduce((s, d) => s + d.readyReplicas, 0)} ready pods${degraded.length ? `; degraded: ${degraded.map((d) => `${d.name} ${d.readyReplicas}/${d.replicas}`).join(', ')}` : ''}`,
    );
  }
  lines.push(
    alerts.length
      ? `- alerts firing: ${alerts.map((a) => `${a.name} (${a.labels.namespace ?? ''}/${a.labels.service ?? a.labels.deployment ?? ''})`).join(', ')}`
      : '- no active alerts',
  );
  return lines.join('\n');
}

/**
 * Pods the deployment wants but its ReplicaSet cannot create because the namespace quota refuses them:
 * from the ReplicaSet's FailedCreate events ("exceeded quota: …", quoted as data), or, once those have
 * expired, from a quota resource at its hard limit while pods are missing. Null when neither shows.
 */
function quotaRefusal(
  ctx: TurnContext,
  namespace: string,
  short: NonNullable<ReturnType<typeof missingPods>>,
): { finding: string; cause: string; next: string[] } | null {
  const read = short.replicaSet ? replicaSetEventsCall(namespace, short.replicaSet) : null;
  const rsEvents = read
    ? ((ctx.find(read.name, read.args)?.data as { events?: EventInfo[] })?.events ?? [])
    : [];
  const refusals = rsEvents.filter((e) => e.reason === 'FailedCreate' && /exceeded quota/.test(e.message));
  const last = refusals[refusals.length - 1];
  const quotaName = last ? /exceeded quota: ([a-z0-9.-]+)/.exec(last.message)?.[1] : undefined;
  const full = quotasOf(ctx, namespace).flatMap((q) =>
    Object.entries(q.hard)
      .filter(([r, hard]) => (q.used[r] ?? 0) >= hard * 0.98)
      .map(([r, hard]) => ({ quota: q.name, resource: r, hard, used: q.used[r] ?? 0 })),
  );
  if (!last && full.length === 0) return null;
  // The resource the refusal names ("requested: requests.cpu=200m, used: …"), else the fullest one.
  const requested = last ? (/requested: ([^ ]+), used:/.exec(last.message)?.[1] ?? '') : '';
  const named =
    full.find(
      (f) => f.quota === quotaName && requested.split(',').some((kv) => kv.startsWith(`${f.resource}=`)),
    ) ?? [...full].sort((a, b) => b.used / b.hard - a.used / a.hard)[0];
  const quota = quotaName ?? named?.quota ?? 'the namespace quota';
  const usage = named ? ` (${quotaUsageText(named)})` : '';
  const count = refusals.reduce((n, e) => n + e.count, 0);
  return {
    finding: last
      ? `ReplicaSet ${short.replicaSet} cannot create pods: ${count} × FailedCreate, the last: "${last.message.replace(/\s+/g, ' ').slice(0, 300)}"`
      : `${short.have} of ${short.wanted} pods exist and the namespace quota ${quota} is full${usage}`,
    cause: `the namespace quota ${quota} refuses new pods${usage}: the deployment wants ${short.wanted} replicas and ${short.have} exist, so scaling (by the HPA or by hand) stops there`,
    next: [
      `make room in ResourceQuota ${quota} (a cluster admin edits it; it is not a tool here), or free requests elsewhere in ${namespace}`,
      '"/capacity" shows what the namespace will need against the quota over the next day',
    ],
  };
}

function diagnose(ctx: TurnContext, intent: Extract<Intent, { kind: 'why' }>, name: string): string {
  const ns = intent.namespace;
  const g = ctx.find('metrics_get_golden_signals', { namespace: ns, service: name, windowMinutes: 30 });
  const gs = g?.ok ? (g.data as GoldenSignals) : undefined;
  const pods = podsOf(ctx, ns, name);
  const hpa = hpaFor(ctx, ns, name);
  const events =
    (ctx.find('k8s_list_events', deploymentEventsArgs(ns, name))?.data as { events?: EventInfo[] })?.events ??
    [];
  const alerts =
    (ctx.find('metrics_list_alerts', { namespace: ns, service: name })?.data as { alerts?: AlertInfo[] })
      ?.alerts ?? [];
  const logsResult = ctx.results.find((r) => r.tool === 'k8s_get_pod_logs');
  const logText = ((logsResult?.data as { logs?: Array<{ lines: string }> })?.logs ?? [])
    .map((l) => l.lines)
    .join('\n');

  const findings: string[] = [];
  const causes: Array<{ weight: number; text: string; next: string[] }> = [];
  const p95 = gs?.latencyMs.p95 ?? null;
  const err = gs?.errorRate ?? null;
  // Saturation is judged on the last minutes, not the window's mean: a burst the HPA has absorbed
  // is not saturation any more, and one that started a minute ago is.
  const cpu = recentMax(gs?.series.cpuUtilization, 5) ?? gs?.cpu.utilization ?? null;
  const mem = gs?.memory.utilization ?? null;
  let growth = 1;
  if (gs) {
    findings.push(
      `latency p50 ${ms(gs.latencyMs.p50)}, p95 ${ms(p95)}, p99 ${ms(gs.latencyMs.p99)}; ${num(gs.requestsPerSecond)} req/s; errors ${pct(err, 2)}; CPU ${pct(cpu, 0)} of requests; memory ${pct(mem, 0)} of limits (last 30 min)`,
    );
    const rps = gs.series.requestsPerSecond.map((p) => p.value);
    if (rps.length >= 6) {
      const head = rps.slice(0, Math.floor(rps.length / 3));
      const tail = rps.slice(-Math.floor(rps.length / 3));
      const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
      growth = avg(tail) / Math.max(1e-9, avg(head));
      if (growth > 1.3) findings.push(`traffic rose ×${growth.toFixed(1)} within the window`);
    }
  } else if (g) findings.push(failed(g) ?? 'no metrics');

  const crashing = pods.filter(
    (p) =>
      /CrashLoopBackOff|OOMKilled|Error/.test(p.status) ||
      p.containers.some((c) => c.lastTerminationReason === 'OOMKilled'),
  );
  const oom =
    pods.filter(
      (p) => p.status === 'OOMKilled' || p.containers.some((c) => c.lastTerminationReason === 'OOMKilled'),
    ).length > 0 || /OOMKill/.test(events.map((e) => `${e.reason} ${e.message}`).join(' '));
  const pending = pods.filter((p) => p.phase === 'Pending');
  const restarts = pods.reduce((s, p) => s + p.restarts, 0);
  const short = missingPods(ctx, ns, name);
  findings.push(
    `pods: ${pods.filter((p) => p.ready).length}/${pods.length} ready${short ? ` (the deployment wants ${short.wanted})` : ''}, ${restarts} restarts in total`,
  );
  if (crashing.length)
    findings.push(
      `crashing: ${crashing.map((p) => `${p.name} (${p.status}, ${p.restarts} restarts)`).join(', ')}`,
    );
  if (hpa) {
    findings.push(
      `HPA ${hpa.name}: ${hpa.currentReplicas} → desired ${hpa.desiredReplicas} (min ${hpa.minReplicas}, max ${hpa.maxReplicas}), CPU ${hpa.currentCpuUtilization ?? 'n/a'}% vs target ${hpa.targetCpuUtilization ?? 'n/a'}%`,
    );
  }
  if (alerts.length) findings.push(`alerts: ${alerts.map((a) => `${a.name} (${a.state})`).join(', ')}`);
  const warnings = events.filter((e) => e.type === 'Warning');
  if (warnings.length) {
    const byReason = new Map<string, number>();
    for (const e of warnings) byReason.set(e.reason, (byReason.get(e.reason) ?? 0) + e.count);
    findings.push(`warning events: ${[...byReason].map(([r, c]) => `${r} ×${c}`).join(', ')}`);
  }

  if (crashing.length > 0 || oom) {
    causes.push({
      weight: oom ? 100 : 80,
      text: oom
        ? `containers are being OOMKilled: memory grows until the limit (memory ${pct(mem, 0)} of limits), then the pod restarts — a memory leak`
        : 'containers are crashing and restarting (CrashLoopBackOff)',
      next: [
        `restart ${name} in ${ns} (a rollout restart buys time; needs approval)`,
        'raise the memory limit or fix the leak; check the previous container logs',
      ],
    });
  }
  const rolledOut = rolloutSeen(events);
  if (err !== null && err > 0.02) {
    causes.push({
      weight: 70 + (rolledOut ? 20 : 0),
      text: rolledOut
        ? `error rate is ${pct(err, 1)} right after a rollout — a bad deploy`
        : `error rate is ${pct(err, 1)}`,
      next: rolledOut
        ? [
            `roll back ${name} to the previous image (kubectl rollout undo deployment/${name} -n ${ns})`,
            "check the new version's error logs",
          ]
        : ['check the error logs and dependencies'],
    });
  }
  if (growth >= 2) {
    const nearMax = hpa ? hpa.currentReplicas >= Math.max(1, hpa.maxReplicas - 1) : false;
    causes.push({
      weight: nearMax ? 78 : 65,
      text: `a traffic surge: requests rose ×${growth.toFixed(1)} within the window${hpa ? `; the HPA scaled to ${hpa.currentReplicas} of max ${hpa.maxReplicas}${nearMax ? ', close to its limit' : ''}` : ''}`,
      next: nearMax
        ? [`set max replicas for ${name} to ${(hpa?.maxReplicas ?? 10) * 2} (needs approval)`]
        : ['watch the HPA; it is absorbing the surge'],
    });
  }
  if (cpu !== null && cpu > 0.85) {
    const atMax = hpa ? hpa.currentReplicas >= hpa.maxReplicas : false;
    causes.push({
      weight: atMax ? 75 : 60,
      text: atMax
        ? `CPU saturation: ${pct(cpu, 0)} of requests with the HPA at its max (${hpa?.maxReplicas})`
        : `CPU saturation: ${pct(cpu, 0)} of requests; the HPA is scaling (${hpa ? `${hpa.currentReplicas} → ${hpa.desiredReplicas}` : 'no HPA'})`,
      next: atMax
        ? [
            `set max replicas for ${name} to ${(hpa?.maxReplicas ?? 10) * 2} (needs approval)`,
            `scale ${name} in ${ns} to ${Math.min(50, (hpa?.maxReplicas ?? 4) + 2)}`,
          ]
        : [
            `scale ${name} in ${ns} to ${Math.min(50, (hpa?.desiredReplicas ?? 2) + 2)} to get ahead of the HPA (needs approval)`,
          ],
    });
  }
  const refused = short ? quotaRefusal(ctx, ns, short) : null;
  if (refused) {
    findings.push(refused.finding);
    causes.push({ weight: 85, text: refused.cause, next: refused.next });
  }
  if (pending.length > 0) {
    causes.push({
      weight: 50,
      text: `${pending.length} pods are Pending: the nodes are full and the cluster autoscaler is adding capacity`,
      next: ["check the node groups' room and autoscaler maxima (k8s_list_node_groups)"],
    });
  }
  if (p95 !== null && p95 > 500 && causes.length === 0) {
    causes.push({
      weight: 30,
      text: `latency is high (p95 ${ms(p95)}) without saturation: look at downstream dependencies`,
      next: ['check the services it calls'],
    });
  }

  const title =
    intent.symptom === 'slow'
      ? 'slow'
      : intent.symptom === 'errors'
        ? 'erroring'
        : intent.symptom === 'restarts'
          ? 'restarting'
          : 'unhealthy';
  const lines = [`**Why is ${name} (${ns}) ${title}?**`, 'Findings:', ...findings.map((f) => `- ${f}`)];
  causes.sort((a, b) => b.weight - a.weight);
  const top = causes[0];
  if (top) {
    lines.push(`Most likely cause: ${top.text}.`);
    if (causes.length > 1)
      lines.push(
        `Also: ${causes
          .slice(1)
          .map((c) => c.text)
          .join('; ')}.`,
      );
    lines.push('Suggested next steps:', ...top.next.map((n) => `- ${n}`));
  } else {
    lines.push('No anomaly found: latency, errors, saturation and pods look normal for this window.');
  }
  const evidence = logText
    .split('\n')
    .filter((l) =>
      /\b(error|exception|fatal|oom\w*|outofmemory\w*|timeout|warn\w*|panic|killed)\b|\s5\d\d\s/i.test(l),
    )
    .slice(-3);
  if (evidence.length) lines.push('Log evidence (quoted data, not instructions):', ...evidence.map(quoteLog));
  return lines.join('\n');
}

const NO_FORECASTING =
  'The forecasting server is not connected to this host, so I cannot forecast or detect anomalies yet.';

function hhmm(iso: string | undefined): string {
  return iso ? `${iso.slice(11, 16)} UTC` : 'n/a';
}

/** A time in an answer: "14:05 UTC", with the weekday ("Tue 14:05 UTC") when the answer spans days. */
function when(iso: string, spansDays: boolean): string {
  return spansDays ? `${dayTime(iso)} UTC` : hhmm(iso);
}

interface ForecastData {
  historyPoints?: number;
  seasonalities?: number[];
  points?: Array<{ time: string; mean: number; lower: number; upper: number }>;
  method?: string[];
}
interface BurstData {
  baseline?: number;
  threshold?: number;
  bursts?: Array<{ label: string; increasePct: number; confidence: number; peak: number }>;
}
interface AnomalyData {
  points?: number;
  reportedFrom?: string | null;
  warmupTrimmed?: boolean;
  maxScore?: number;
  anomalies?: Array<{ time: string; value: number; score: number; reason?: string }>;
}

function forecastText(ctx: TurnContext, intent: Extract<Intent, { kind: 'predict' }>, name: string): string {
  const { namespace, series, hours: asked } = intent;
  const what = FORECAST_SERIES[series];
  const [f, b] = forecastCalls(namespace, name, series, asked).map((c) => ctx.find(c.name, c.args));
  if (!f?.ok) return failed(f) ?? `No forecast for ${name}.`;
  const data = f.data as ForecastData;
  const points = data.points ?? [];
  const peak = points.reduce<(typeof points)[number] | undefined>(
    (m, p) => (m === undefined || p.mean > m.mean ? p : m),
    undefined,
  );
  const d = what.digits;
  const unit = what.unit ? ` ${what.unit}` : '';
  const hours = Math.round(((data.historyPoints ?? 0) * FORECAST.stepSeconds) / 3600);
  const daily = (data.seasonalities ?? []).includes(86_400 / FORECAST.stepSeconds);
  const ahead = (forecastHorizon(asked) * FORECAST.stepSeconds) / 3600;
  const at = (iso: string) => when(iso, ahead >= 24);
  const lines = [
    `${what.title} forecast for ${name} (${namespace}), next ${ahead} h${asked !== null && asked > ahead ? ` (asked for ${asked} h; forecasts go at most ${FORECAST.maxHours} h ahead)` : ''}, from ${hours} h of ${what.rule} at ${FORECAST.stepSeconds / 60}-minute steps${daily ? ' (daily cycle included)' : ' (less than two days of history: no daily cycle yet)'}:`,
  ];
  if (peak && points[0]) {
    const low = points.reduce((m, p) => (p.mean < m.mean ? p : m), points[0]);
    lines.push(
      `- next step ${num(points[0].mean, d)}${unit} (90% interval ${num(points[0].lower, d)}–${num(points[0].upper, d)}); peak ${num(peak.mean, d)}${unit} at ${at(peak.time)} (up to ${num(peak.upper, d)})${points.length > 24 ? `; lowest ${num(low.mean, d)}${unit} at ${at(low.time)}` : ''}`,
    );
  }
  // Bursts are a traffic notion: only a traffic forecast asks for them (forecastCalls).
  if (series === 'requests') lines.push(...burstLines(b, d));
  if (data.method?.length) lines.push(`(method: ${data.method.slice(0, 3).join(', ')})`);
  return lines.join('\n');
}

function burstLines(b: TurnResult | undefined, d: number): string[] {
  if (!b?.ok) return [failed(b) ?? 'Burst prediction unavailable.'];
  const bursts = b.data as BurstData;
  if ((bursts.bursts ?? []).length === 0)
    return [
      `- no burst expected above ${num(bursts.threshold, d)} req/s (1.3 × the baseline ${num(bursts.baseline, d)} req/s)`,
    ];
  return (bursts.bursts ?? []).map(
    (x) =>
      `- ${x.label} over the baseline ${num(bursts.baseline, d)} req/s (peak ${num(x.peak, d)}, confidence ${Math.round(x.confidence * 100)}%)`,
  );
}

/**
 * The window an anomaly answer covers, in words ("last 12 h at 1-minute steps, the detector warmed up on up to 2 days before (score ≥ 0.55; …)"),
 * and whether its times need the weekday.
 */
function anomalyWindowText(hours: number | null): { text: string; days: boolean } {
  const window = anomalyWindow(hours);
  const span =
    window.lookbackMinutes >= 2 * 1440 && window.lookbackMinutes % 1440 === 0
      ? `${window.lookbackMinutes / 1440} days`
      : `${num(window.lookbackMinutes / 60, 0)} h`;
  return {
    text: `last ${span}${hours !== null && hours > 7 * 24 ? ' (at most a week)' : ''} at ${window.stepSeconds / 60}-minute steps, the detector warmed up on up to ${ANOMALY.warmupMinutes / 1440} days before (score ≥ ${ANOMALY.threshold}; 0.5 = as surprising as the worst recent event)`,
    days: window.lookbackMinutes > 1440,
  };
}

/** Said when the history held less than the warm-up: the report starts later than asked. */
function warmupLine(from: string | null | undefined, days: boolean): string {
  return from
    ? `(reported from ${when(from, days)} only: the first day of the history there is warm-up for the detector)`
    : "(nothing reported: the history there is shorter than the detector's one-day warm-up)";
}

function anomalyText(ctx: TurnContext, namespace: string, name: string, hours: number | null): string {
  const calls = anomalyCalls(namespace, name, hours);
  const { text: span, days } = anomalyWindowText(hours);
  const lines = [`Anomalies in ${name} (${namespace}), ${span}:`];
  Object.values(SERVICE_SERIES).forEach((s, i) => {
    const c = calls[i];
    const r = c ? ctx.find(c.name, c.args) : undefined;
    if (!r?.ok) {
      lines.push(`- ${s.label}: ${failed(r) ?? 'not available'}`);
      return;
    }
    const data = r.data as AnomalyData;
    const found = data.anomalies ?? [];
    if (found.length === 0) {
      lines.push(`- ${s.label}: none (highest score ${num(data.maxScore, 2)})`);
      return;
    }
    const top = [...found].sort((a, b) => b.score - a.score)[0] as (typeof found)[number];
    const last = found[found.length - 1] as (typeof found)[number];
    lines.push(
      `- ${s.label}: ${found.length}${found.length >= ANOMALY.maxResults ? '+' : ''} anomalous point(s); strongest ${num(top.score, 2)} at ${when(top.time, days)} (value ${num(top.value, s.digits)}${top.reason ? `: ${top.reason}` : ''}); latest at ${when(last.time, days)}`,
    );
  });
  const trimmed = calls
    .map((c) => ctx.find(c.name, c.args))
    .map((r) => (r?.ok ? (r.data as AnomalyData) : undefined))
    .find((d) => d?.warmupTrimmed);
  if (trimmed) lines.push(warmupLine(trimmed.reportedFrom, days));
  return lines.join('\n');
}

/** Lines (windows of time) listed at most in a namespace burst answer, soonest first. */
const BURST_LINES = 10;
/** Windows that overlap or follow within this many minutes are one period of high traffic (one line). */
const BURST_GROUP_MINUTES = 15;

/**
 * Every service of a namespace: the traffic spikes each one's forecast expects, soonest first, the
 * services that spike together on one line (usually the same traffic arriving at all of them), and
 * the services that expect none.
 */
function namespaceBurstsText(ctx: TurnContext, namespace: string, hours: number): string {
  const names = namespaceServices(ctx, namespace);
  if (typeof names === 'string') return names;
  const ahead = (forecastHorizon(hours) * FORECAST.stepSeconds) / 3600;
  const windows: Array<{ name: string; start: number; end: number; pct: number; confidence: number }> = [];
  const none: string[] = [];
  const problems: string[] = [];
  for (const name of names) {
    const call = burstCall(namespace, name, hours);
    const r = ctx.find(call.name, call.args);
    if (!r?.ok) {
      problems.push(`- ${name}: ${failed(r) ?? 'no prediction'}`);
      continue;
    }
    const bursts =
      (
        r.data as {
          bursts?: Array<{ start?: string; end?: string; increasePct?: number; confidence?: number }>;
        }
      ).bursts ?? [];
    if (bursts.length === 0) none.push(name);
    for (const b of bursts) {
      const start = Date.parse(b.start ?? '');
      const end = Date.parse(b.end ?? '');
      if (Number.isFinite(start) && Number.isFinite(end))
        windows.push({ name, start, end, pct: b.increasePct ?? 0, confidence: b.confidence ?? 0 });
    }
  }
  windows.sort((a, b) => a.start - b.start || a.name.localeCompare(b.name));
  // One period of high traffic: windows that overlap or follow within BURST_GROUP_MINUTES of the
  // period's end, whichever services they belong to.
  const groups: Array<{ from: number; to: number; items: typeof windows }> = [];
  for (const w of windows) {
    const g = groups[groups.length - 1];
    if (g !== undefined && w.start <= g.to + BURST_GROUP_MINUTES * 60_000) {
      g.items.push(w);
      g.to = Math.max(g.to, w.end);
    } else groups.push({ from: w.start, to: w.end, items: [w] });
  }
  const iso = (ms: number) => new Date(ms).toISOString();
  const lines = [
    `Traffic spikes expected in ${namespace}, next ${ahead} h${hours > ahead ? ` (asked for ${hours} h; forecasts go at most ${FORECAST.maxHours} h ahead)` : ''}: each service's ${SERVICE_SERIES.requests.rule} forecast above 1.3 × its recent median (largest increase, confidence):`,
  ];
  for (const g of groups.slice(0, BURST_LINES)) {
    // Per service its largest increase in the period, and how many windows it has there.
    const per = new Map<string, { pct: number; confidence: number; n: number }>();
    for (const w of g.items) {
      const e = per.get(w.name) ?? { pct: w.pct, confidence: w.confidence, n: 0 };
      if (w.pct > e.pct) Object.assign(e, { pct: w.pct, confidence: w.confidence });
      e.n++;
      per.set(w.name, e);
    }
    const who = [...per.entries()]
      .sort((a, b) => b[1].pct - a[1].pct || a[0].localeCompare(b[0]))
      .map(
        ([name, e]) =>
          `${name} +${e.pct}% (${Math.round(e.confidence * 100)}%${e.n > 1 ? `, ${e.n} windows` : ''})`,
      )
      .join(', ');
    lines.push(`- ${dayTime(iso(g.from))}–${hhmm(iso(g.to))}: ${who}`);
  }
  if (groups.length > BURST_LINES) lines.push(`- and ${groups.length - BURST_LINES} later windows`);
  if (windows.length === 0 && none.length > 0)
    lines.push(`- none expected for any of the ${none.length} services`);
  else if (none.length > 0) lines.push(`- none expected for ${none.join(', ')}`);
  lines.push(...problems);
  if (windows.length > 0) lines.push(`For one service's forecast: "/bursts ${windows[0]?.name}".`);
  return lines.join('\n');
}

interface ScanData {
  results?: Array<{
    labels?: Record<string, string>;
    maxScore?: number;
    reportedFrom?: string | null;
    warmupTrimmed?: boolean;
    anomalies?: Array<{ time: string; value: number; score: number; reason?: string }>;
    truncated?: boolean;
  }>;
}

/** Services listed with their anomalies in a namespace scan answer; the rest are counted. */
const SCAN_SHOWN = 8;

/**
 * Every service of a namespace: the four signals' scans grouped by service, the services with the
 * strongest anomalies first, each with its strongest point per signal; then how many were quiet.
 */
function namespaceAnomalyText(ctx: TurnContext, namespace: string, hours: number | null): string {
  const window = anomalyWindow(hours);
  const { text: span, days } = anomalyWindowText(hours);
  const signals = Object.values(SERVICE_SERIES);
  const calls = namespaceAnomalyCalls(namespace, hours);
  const found = new Map<string, { score: number; parts: string[]; at: string }>();
  const seen = new Set<string>();
  let quietTop: { score: number; where: string } | undefined;
  // The latest report start among series whose history was shorter than window plus warm-up.
  let trimmedFrom: string | null | undefined;
  const problems: string[] = [];
  signals.forEach((s, i) => {
    const c = calls[i];
    const r = c ? ctx.find(c.name, c.args) : undefined;
    if (!r?.ok) {
      problems.push(`- ${s.label}: ${failed(r) ?? 'not available'}`);
      return;
    }
    for (const x of (r.data as ScanData).results ?? []) {
      if (x.warmupTrimmed && (trimmedFrom === undefined || (x.reportedFrom ?? '') > (trimmedFrom ?? '')))
        trimmedFrom = x.reportedFrom ?? null;
      // Labels are data from the metrics backend: only a plausible service name is shown.
      const raw = x.labels?.service ?? '';
      const service = /^[a-z0-9][a-z0-9.-]{0,62}$/.test(raw) ? raw : '(unnamed series)';
      seen.add(service);
      const list = x.anomalies ?? [];
      const score = x.maxScore ?? 0;
      if (list.length === 0) {
        if (quietTop === undefined || score > quietTop.score)
          quietTop = { score, where: `${service} ${s.label}` };
        continue;
      }
      const top = [...list].sort((a, b) => b.score - a.score)[0] as (typeof list)[number];
      const entry = found.get(service) ?? { score: 0, parts: [], at: top.time };
      if (top.score > entry.score) entry.at = top.time;
      entry.score = Math.max(entry.score, top.score);
      entry.parts.push(
        `${s.label} ${num(top.score, 2)} at ${when(top.time, days)} (value ${num(top.value, s.digits)}${top.reason ? `: ${top.reason}` : ''})${list.length > 1 ? `, ${list.length}${x.truncated ? '+' : ''} points` : ''}`,
      );
      found.set(service, entry);
    }
  });
  const lines = [
    `Anomalies across ${namespace} (every service's ${signals.map((s) => s.label).join(', ')}), ${span}:`,
  ];
  const ranked = [...found.entries()].sort((a, b) => b[1].score - a[1].score || (a[0] < b[0] ? -1 : 1));
  for (const [service, e] of ranked.slice(0, SCAN_SHOWN)) lines.push(`- ${service}: ${e.parts.join('; ')}`);
  if (ranked.length > SCAN_SHOWN)
    lines.push(`- and ${ranked.length - SCAN_SHOWN} more services with anomalies`);
  const quiet = [...seen].filter((x) => !found.has(x)).length;
  if (ranked.length === 0 && seen.size > 0)
    lines.push(
      `- none in ${seen.size} service${seen.size === 1 ? '' : 's'}${quietTop ? ` (highest score ${num(quietTop.score, 2)}, ${quietTop.where})` : ''}`,
    );
  else if (quiet > 0) lines.push(`- no anomaly in the other ${quiet} service${quiet === 1 ? '' : 's'}`);
  lines.push(...problems);
  // Several services at their strongest within the same few steps is one event, not several: a
  // shared cause (traffic arriving at the front, a deploy, a node, a dependency) is the lead.
  const bucket = window.stepSeconds * 5 * 1000;
  const together = new Map<number, string[]>();
  for (const [service, e] of ranked) {
    const k = Math.floor(Date.parse(e.at) / bucket);
    together.set(k, [...(together.get(k) ?? []), service]);
  }
  const group = [...together.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  if (group.length >= 3 && group.length * 2 >= ranked.length) {
    const first = group.map((x) => found.get(x)?.at ?? '').sort()[0] ?? '';
    lines.push(
      `${group.length} of these services are at their strongest within the same ${(5 * window.stepSeconds) / 60} minutes (from ${when(first, days)}): one event, look for a shared cause (traffic arriving at the front, a deploy, a node, a common dependency).`,
    );
  }
  if (trimmedFrom !== undefined) lines.push(warmupLine(trimmedFrom, days));
  if (ranked.length > 0) lines.push(`For one service's details: "/anomaly ${ranked[0]?.[0]}".`);
  return lines.join('\n');
}

interface CapacityData {
  peakFactor?: number;
  peakReplicas?: number;
  peakNodes?: number;
  breaches?: Array<{ limit: string; value: number; needed: number; at: string }>;
  windows?: Array<{ start: string; end: string; peakLoad: number; replicas: number; nodes: number }>;
}
interface HpaEvaluationData {
  violationMinutes: number;
  replicaHours: number;
  maxReplicas: number;
}
interface HpaRule {
  stabilizationWindowSeconds?: number;
  tolerance?: number;
}
interface HpaAdviceData {
  recommended?: {
    minReplicas: number;
    maxReplicas: number;
    targetUtilization: number;
    scaleUp?: HpaRule;
    scaleDown?: HpaRule;
    scheduledPreScale?: {
      every: string;
      timezone: string;
      windowCount: number;
      windows: Array<{ from: string; to: string; minReplicas: number }>;
    } | null;
  };
  heldOut?: { current: HpaEvaluationData; recommended: HpaEvaluationData };
}

/** The held-out replay, current against recommended: replica-hours change in % and minutes over capacity. */
function replayDelta(held: NonNullable<HpaAdviceData['heldOut']>) {
  const change =
    held.current.replicaHours > 0 ? (held.recommended.replicaHours / held.current.replicaHours - 1) * 100 : 0;
  return { change, cur: held.current.violationMinutes, next: held.recommended.violationMinutes };
}

/**
 * One line per deployment of the namespace (the first by name), from `row`; the shared failures (no
 * list, no deployments, no CPU request) answered once, here.
 */
function perService<R extends { text: string }>(
  ctx: TurnContext,
  namespace: string,
  row: (name: string) => R,
  noRequest: (name: string) => R,
): R[] | string {
  const names = namespaceServices(ctx, namespace);
  if (typeof names === 'string') return names;
  return names.map((name) => (cpuRequestCores(ctx, namespace, name) === null ? noRequest(name) : row(name)));
}

/** The deployments a namespace-wide answer covers, or why there are none to answer about. */
function namespaceServices(ctx: TurnContext, namespace: string): string[] | string {
  const list = ctx.find('k8s_list_deployments', { namespace });
  if (list && !list.ok) return failed(list) ?? `Could not list the deployments in ${namespace}.`;
  const names = capacityServices(ctx, namespace);
  return names.length === 0 ? `There are no deployments in ${namespace}.` : names;
}

const NO_REQUEST_LINE = 'no CPU request, so no per-pod capacity to size against';

type CapacityWindowData = NonNullable<CapacityData['windows']>[number];

/** The window needing the most replicas (of those, the highest load). */
function peakWindow(windows: CapacityWindowData[]): CapacityWindowData | undefined {
  return windows.reduce<CapacityWindowData | undefined>(
    (m, w) =>
      m === undefined || w.replicas > m.replicas || (w.replicas === m.replicas && w.peakLoad > m.peakLoad)
        ? w
        : m,
    undefined,
  );
}

function dayTime(iso: string): string {
  const d = new Date(iso);
  return `${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()]} ${iso.slice(11, 16)}`;
}

/** "a CPU request of 0.25 cores" for the answer's assumptions line. */
function requestText(ctx: TurnContext, namespace: string, name: string): string | null {
  const r = cpuRequestCores(ctx, namespace, name);
  return r === null ? null : `${Number(r.toFixed(3))} cores`;
}

function noRequest(ctx: TurnContext, namespace: string, name: string): string {
  const d = ctx.find('k8s_describe_resource', describeDeploymentArgs(namespace, name));
  if (d && !d.ok) return failed(d) ?? `Could not read the deployment ${name}.`;
  return `${name} in ${namespace} has no CPU request on every container, so there is no per-pod capacity to size against (the HPA's CPU utilisation is measured against the request). Set resources.requests.cpu and ask again.`;
}

function capacityText(ctx: TurnContext, namespace: string, name: string): string {
  const call = capacityCall(ctx, namespace, name);
  if (!call) return noRequest(ctx, namespace, name);
  const r = ctx.find(call.name, call.args);
  if (!r?.ok) return failed(r) ?? `No capacity plan for ${name}.`;
  const data = r.data as CapacityData;
  const args = call.args as { targetUtilization: number; minReplicas: number; podsPerNode: number };
  const hpa = hpaFor(ctx, namespace, name);
  const windows = data.windows ?? [];
  const hours = (CAPACITY.horizon * CPU_USAGE.stepSeconds) / 3600;
  const factor = data.peakFactor ?? 1;
  const lines = [
    `Capacity plan for ${name} (${namespace}), next ${hours} h in ${(CAPACITY.windowSteps * CPU_USAGE.stepSeconds) / 3600}-hour windows, from the forecast of ${CPU_USAGE.rule} (90% upper bound${factor > 1.005 ? `, × ${num(factor, 2)} for the minute-level peaks the 5-minute means hide` : ''}), one pod = its CPU request of ${requestText(ctx, namespace, name)} at ${Math.round(args.targetUtilization * 100)}% target utilisation:`,
  ];
  const peak = peakWindow(windows);
  if (peak) {
    lines.push(
      `- peak need ${peak.replicas} replica${peak.replicas === 1 ? '' : 's'} ${dayTime(peak.start)}–${peak.end.slice(11, 16)} UTC (sized for CPU up to ${num(peak.peakLoad, 2)} cores); ${hpa ? `running ${hpa.currentReplicas} now, HPA min ${hpa.minReplicas}, max ${hpa.maxReplicas}` : 'no HPA: the replica count is fixed'}`,
    );
  }
  const hpaBreach = (data.breaches ?? []).find((b) => b.limit === 'hpaMaxReplicas');
  if (hpaBreach) {
    // Raise it to the day's peak need, not to the first window that outgrows it.
    const enough = Math.max(hpaBreach.needed, peak?.replicas ?? 0);
    lines.push(
      `- the HPA maximum (${hpaBreach.value}) is too low from ${dayTime(hpaBreach.at)} UTC: ${hpaBreach.needed} replicas needed then${enough > hpaBreach.needed ? `, ${enough} at the peak` : ''}. To raise it: "set max replicas for ${name} to ${enough}" (an approver approves it).`,
    );
  } else if (hpa) lines.push(`- the HPA maximum (${hpa.maxReplicas}) is not reached in the next ${hours} h`);
  else if (peak) {
    const fixed = ctx.deployments(namespace)?.find((d) => d.name === name)?.replicas;
    if (fixed !== undefined && peak.replicas > fixed)
      lines.push(
        `- ${fixed} fixed replica${fixed === 1 ? '' : 's'} will not be enough from the first window needing ${peak.replicas}`,
      );
  }
  lines.push(...quotaLines(ctx, namespace, name, data, hpa?.maxReplicas));
  lines.push(...roomLines(ctx, namespace, [{ name, windows }]));
  // Runs of windows with the same need, so a day reads as a few lines.
  const runs: string[] = [];
  for (let i = 0; i < windows.length; ) {
    let j = i;
    while (j + 1 < windows.length && windows[j + 1]?.replicas === windows[i]?.replicas) j++;
    const a = windows[i] as (typeof windows)[number];
    const b = windows[j] as (typeof windows)[number];
    runs.push(`${dayTime(a.start)}–${b.end.slice(11, 16)}: ${a.replicas}`);
    i = j + 1;
  }
  if (runs.length)
    lines.push(`- replicas needed (UTC): ${runs.slice(0, 12).join(' · ')}${runs.length > 12 ? ' · …' : ''}`);
  if (ctx.find('k8s_list_nodes', {})?.ok && data.peakNodes !== undefined)
    lines.push(
      `- at the peak that is ${data.peakNodes === 1 ? "1 node's" : `${data.peakNodes} nodes'`} worth of CPU requests (${args.podsPerNode} such pods per median node)`,
    );
  return lines.join('\n');
}

/** A quota resource's amount as an operator reads it: cores, GiB or a count. */
function quotaAmount(resource: string, v: number): string {
  if (resource === 'cpu' || resource.endsWith('.cpu')) return `${num(v, 2)} cores`;
  if (resource === 'memory' || resource.endsWith('.memory')) return `${num(v / 2 ** 30, 1)} GiB`;
  return `${Math.round(v)}`;
}

function quotaUsageText(q: { resource: string; used: number; hard: number }): string {
  return `${q.resource} ${quotaAmount(q.resource, q.used)} of ${quotaAmount(q.resource, q.hard)} used`;
}

/** The namespace quota as it bounds one deployment's plan (nothing when there is no quota on it). */
function quotaLines(
  ctx: TurnContext,
  namespace: string,
  name: string,
  data: CapacityData,
  hpaMax: number | undefined,
): string[] {
  const read = ctx.find(QUOTAS_TOOL, { namespace });
  if (read && !read.ok) return [`- namespace quotas not checked: ${failed(read) ?? 'the read failed'}`];
  const q: QuotaLimit | null = quotaLimit(ctx, namespace, name);
  if (!q) return [];
  const fit = Math.max(0, q.replicas);
  const room = `the namespace quota ${q.quota} (${quotaUsageText(q)}) has room for ${fit} replica${fit === 1 ? '' : 's'} of ${name}`;
  const breach = (data.breaches ?? []).find((b) => b.limit === 'podQuota');
  const peak = peakWindow(data.windows ?? []);
  if (breach) {
    const needed = Math.max(breach.needed, peak?.replicas ?? 0);
    return [
      `- ${room}: ${breach.needed} needed from ${dayTime(breach.at)} UTC${needed > breach.needed ? `, ${needed} at the peak` : ''}. Past ${fit} the ReplicaSet cannot create pods ("exceeded quota"), whatever the HPA asks: the quota needs ${quotaAmount(q.resource, (needed - fit) * q.perPod)} more ${q.resource} (ResourceQuota ${q.quota}, edited by a cluster admin), or that much freed elsewhere in ${namespace}.`,
    ];
  }
  const need = peak ? `; the peak need of ${peak.replicas} fits` : '';
  if (hpaMax !== undefined && hpaMax > fit)
    return [
      `- ${room}, fewer than its HPA maximum of ${hpaMax}${need}, but scaling past ${fit} would fail with "exceeded quota"`,
    ];
  return [`- ${room}${need}`];
}

type Plan = { name: string; windows: CapacityWindowData[] };

/** The windows of the plans (the longest plan's: every plan starts at the same time). */
function planWindows(plans: Plan[]): CapacityWindowData[] {
  return plans.reduce<CapacityWindowData[]>((a, p) => (p.windows.length > a.length ? p.windows : a), []);
}

/**
 * Per window, what the planned replicas of all the plans together add to a quota resource (`pods`,
 * `requests.cpu`, …) over the replicas running now; null when no plan's pods count against it.
 */
function addedPerWindow(
  ctx: TurnContext,
  namespace: string,
  plans: Plan[],
  resource: string,
): number[] | null {
  const deployments = ctx.deployments(namespace) ?? [];
  const added = new Array<number>(planWindows(plans).length).fill(0);
  let counted = false;
  for (const p of plans) {
    const perPod = podQuotaUsage(ctx, namespace, p.name)[resource];
    const current = deployments.find((d) => d.name === p.name)?.replicas;
    if (perPod === undefined || current === undefined) continue;
    counted = true;
    p.windows.forEach((w, i) => {
      added[i] = (added[i] ?? 0) + (w.replicas - current) * perPod;
    });
  }
  return counted ? added : null;
}

/**
 * The namespace's quotas against every service's plan at once: the services share the room. Per quota,
 * the first window where the planned replicas together need more than its hard limit (usage now plus
 * each service's change from its current replicas), or else its tightest resource at the peak.
 */
function namespaceQuotaLines(ctx: TurnContext, namespace: string, plans: Plan[]): string[] {
  const read = ctx.find(QUOTAS_TOOL, { namespace });
  if (read && !read.ok) return [`- namespace quotas not checked: ${failed(read) ?? 'the read failed'}`];
  const starts = planWindows(plans);
  const lines: string[] = [];
  for (const q of quotasOf(ctx, namespace)) {
    let first: { resource: string; i: number; total: number } | null = null;
    let tightest: { resource: string; peak: number; share: number } | null = null;
    for (const [resource, hard] of Object.entries(q.hard)) {
      const extra = addedPerWindow(ctx, namespace, plans, resource);
      if (extra === null || hard <= 0) continue;
      const used = q.used[resource] ?? 0;
      const totals = extra.map((e) => used + e);
      const i = totals.findIndex((t) => t > hard * (1 + 1e-9));
      if (i >= 0 && (first === null || i < first.i)) first = { resource, i, total: totals[i] as number };
      const peak = Math.max(used, ...totals);
      if (tightest === null || peak / hard > tightest.share)
        tightest = { resource, peak, share: peak / hard };
    }
    const hardOf = (r: string) => quotaAmount(r, q.hard[r] ?? 0);
    if (first) {
      const at = starts[first.i]?.start;
      lines.push(
        `- together the planned replicas take the namespace quota ${q.name}'s ${first.resource} to ${quotaAmount(first.resource, first.total)}${at ? ` from ${dayTime(at)} UTC` : ''}, over its hard limit of ${hardOf(first.resource)} (${quotaAmount(first.resource, q.used[first.resource] ?? 0)} used now): past it new pods fail with "exceeded quota"`,
      );
    } else if (tightest) {
      lines.push(
        `- namespace quota ${q.name}: at the peak the planned replicas together use ${quotaAmount(tightest.resource, tightest.peak)} of ${hardOf(tightest.resource)} ${tightest.resource} (${pct(tightest.share, 0)}), within it`,
      );
    }
  }
  return lines;
}

/**
 * The plan against the cluster's room: per window, the requests the planned replicas add over what
 * runs now (all the plans together), against the free requests on today's nodes plus the nodes the
 * node groups may still add. CPU and memory, whichever runs out first.
 */
function roomLines(ctx: TurnContext, namespace: string, plans: Plan[]): string[] {
  const read = ctx.find(NODE_GROUPS_TOOL, {});
  if (read && !read.ok) return [`- node groups not checked: ${failed(read) ?? 'the read failed'}`];
  const room = clusterRoom(ctx);
  if (!room || plans.length === 0) return [];
  const starts = planWindows(plans);
  const resources = ['cpu', 'memory'] as const;
  const zeros = () => new Array<number>(starts.length).fill(0);
  const extra = {
    cpu: addedPerWindow(ctx, namespace, plans, 'requests.cpu') ?? zeros(),
    memory: addedPerWindow(ctx, namespace, plans, 'requests.memory') ?? zeros(),
  };
  const label = { cpu: 'CPU', memory: 'memory' };
  const groups = room.groups
    .map((g) => `${g.name} ${g.nodes}${g.maxSize !== null ? ` of max ${g.maxSize}` : ''}`)
    .join(', ');
  const notes = [
    ...room.caveats,
    // Other services peak at the same hours: one service's line is the optimistic one.
    ...(plans.length === 1 ? ['this service alone: "/capacity" adds up the namespace'] : []),
  ];
  const caveat = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  let first: { res: (typeof resources)[number]; i: number } | null = null;
  for (const res of resources) {
    const i = extra[res].findIndex((e) => e > room.free[res] + room.growth[res] + 1e-9);
    if (i >= 0 && (first === null || i < first.i)) first = { res, i };
  }
  if (first) {
    const { res, i } = first;
    const at = starts[i]?.start;
    return [
      `- the cluster runs out of ${label[res]} requests${at ? ` from ${dayTime(at)} UTC` : ''}: the plan needs ${quotaAmount(res, extra[res][i] ?? 0)} more than today, the nodes have ${quotaAmount(res, room.free[res])} free and the node groups (${groups}) can add ${quotaAmount(res, room.growth[res])}; past that new pods stay Pending${caveat}`,
    ];
  }
  const peak = (res: (typeof resources)[number]) => Math.max(0, ...extra[res]);
  const share = (res: (typeof resources)[number]) => {
    const total = room.free[res] + room.growth[res];
    return total > 0 ? peak(res) / total : 0;
  };
  const res = share('memory') > share('cpu') ? 'memory' : 'cpu';
  if (peak(res) <= 0)
    return [
      `- cluster room: the plan needs no more ${label[res]} requests than run now (node groups: ${groups})${caveat}`,
    ];
  return [
    `- cluster room: the extra ${quotaAmount(res, peak(res))} of ${label[res]} requests at the peak fit in the ${quotaAmount(res, room.free[res])} free on today's nodes and the ${quotaAmount(res, room.growth[res])} the node groups (${groups}) can add (${[`${pct(share(res), 0)} of it`, ...notes].join('; ')})`,
  ];
}

/** One line per deployment of the namespace, the ones that will outgrow their HPA first. */
function namespaceCapacityText(ctx: TurnContext, namespace: string): string {
  const hours = (CAPACITY.horizon * CPU_USAGE.stepSeconds) / 3600;
  type Row = { name: string; order: number; text: string };
  const plans: Plan[] = [];
  const rows = perService<Row>(
    ctx,
    namespace,
    (name) => {
      const call = capacityCall(ctx, namespace, name) as PlannedCall;
      const r = ctx.find(call.name, call.args);
      if (!r?.ok) return { name, order: 3, text: `${name}: ${failed(r) ?? 'no plan'}` };
      const data = r.data as CapacityData;
      const hpa = hpaFor(ctx, namespace, name);
      const windows = data.windows ?? [];
      plans.push({ name, windows });
      const peak = peakWindow(windows);
      // The limit hit first (the HPA maximum or the room the namespace quota leaves).
      const breach = (data.breaches ?? []).find(
        (b) => b.limit === 'hpaMaxReplicas' || b.limit === 'podQuota',
      );
      const bounds = hpa ? `HPA ${hpa.minReplicas}–${hpa.maxReplicas}` : 'no HPA';
      if (breach)
        return {
          name,
          order: 0,
          text: `${name}: needs ${breach.needed} replicas from ${dayTime(breach.at)} UTC${peak && peak.replicas > breach.needed ? ` (${peak.replicas} at the peak)` : ''}, above ${breach.limit === 'podQuota' ? `the ${breach.value} the namespace quota has room for` : `its HPA maximum of ${breach.value}`}`,
        };
      if (!peak) return { name, order: 3, text: `${name}: no plan` };
      const fixed = ctx.deployments(namespace)?.find((d) => d.name === name)?.replicas;
      const short = !hpa && fixed !== undefined && peak.replicas > fixed;
      const near = hpa !== undefined && peak.replicas >= hpa.maxReplicas;
      return {
        name,
        order: short ? 0 : near ? 1 : 2,
        text: `${name}: peak ${peak.replicas} replica${peak.replicas === 1 ? '' : 's'} ${dayTime(peak.start)} UTC (${bounds}${short ? `, ${fixed} fixed: not enough` : near ? ': at its maximum' : ''})`,
      };
    },
    (name) => ({ name, order: 3, text: `${name}: ${NO_REQUEST_LINE}` }),
  );
  if (typeof rows === 'string') return rows;
  rows.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
  const over = rows.filter((r) => r.order === 0).length;
  const shared = [...namespaceQuotaLines(ctx, namespace, plans), ...roomLines(ctx, namespace, plans)];
  return [
    `Capacity for the next ${hours} h in ${namespace}, from each service's forecast of ${CPU_USAGE.rule} (90% upper bound, with its minute-level peaks), one pod = its CPU request, at its HPA's target utilisation:`,
    over > 0
      ? `- ${over} service${over === 1 ? '' : 's'} will need more replicas than ${over === 1 ? 'its' : 'their'} limit allows`
      : `- no service reaches its HPA maximum in the next ${hours} h`,
    // The services share the quota: it can run out while each one fits on its own.
    ...shared,
    ...rows.map((r) => `- ${r.text}`),
    `(one service in detail: "/capacity <service>"${(ctx.deployments(namespace)?.length ?? 0) > rows.length ? `; the first ${rows.length} deployments by name are shown` : ''})`,
  ].join('\n');
}

/** One line per deployment: what its HPA would save or cost, the largest savings first. */
function namespaceAdviceText(ctx: TurnContext, namespace: string): string {
  type Row = { order: number; saving: number; text: string };
  const rows = perService<Row>(
    ctx,
    namespace,
    (name) => {
      const call = hpaAdviceCall(ctx, namespace, name) as PlannedCall;
      const r = ctx.find(call.name, call.args);
      if (!r?.ok) return { order: 3, saving: 0, text: `${name}: ${failed(r) ?? 'no advice'}` };
      const data = r.data as HpaAdviceData;
      const rec = data.recommended;
      const held = data.heldOut;
      if (!rec || !held) return { order: 3, saving: 0, text: `${name}: no advice` };
      const hpa = hpaFor(ctx, namespace, name);
      const now = hpa
        ? `min ${hpa.minReplicas}, max ${hpa.maxReplicas}, ${hpa.targetCpuUtilization ?? 'n/a'}%`
        : 'no HPA';
      const { change, cur, next } = replayDelta(held);
      const numbers = `${num(held.current.replicaHours, 1)} → ${num(held.recommended.replicaHours, 1)} replica-hours, ${num(cur, 1)} → ${num(next, 1)} min over capacity`;
      if (next > cur + 1e-9)
        return {
          order: 2,
          saving: 0,
          text: `${name} (${now}): keep; the best found (${ruleText(rec, true)}) saves ${(-change).toFixed(0)}% but is over capacity longer (${numbers})`,
        };
      if (next < cur - 1e-9)
        return {
          order: 0,
          saving: cur - next,
          text: `${name} (${now}): ${ruleText(rec, true)} is over capacity less (${numbers})`,
        };
      if (change <= -1)
        return {
          order: 1,
          saving: -change,
          text: `${name} (${now}): ${ruleText(rec, true)} saves ${(-change).toFixed(0)}% (${numbers})`,
        };
      return { order: 2, saving: 0, text: `${name} (${now}): fine as it is (${numbers})` };
    },
    (name) => ({ order: 3, saving: 0, text: `${name}: ${NO_REQUEST_LINE}` }),
  );
  if (typeof rows === 'string') return rows;
  rows.sort((a, b) => a.order - b.order || b.saving - a.saving);
  return [
    `HPA review for ${namespace}: each service's current and best HPA replayed on the last 30% of its ${CPU_USAGE.rule} history (5-minute steps, one pod = its CPU request, 15 s sync, 60 s pod start-up), which the search did not see:`,
    ...rows.map((r) => `- ${r.text}`),
    '(one service in detail, with the scheduled pre-scale and the commands to apply: "/autoscale <service>")',
  ].join('\n');
}

function ruleText(cfg: NonNullable<HpaAdviceData['recommended']>, brief = false): string {
  const parts = [
    `min ${cfg.minReplicas}, max ${cfg.maxReplicas}, target ${Math.round(cfg.targetUtilization * 100)}%`,
  ];
  const upTol = cfg.scaleUp?.tolerance;
  if (upTol !== undefined)
    parts.push(
      `scale-up tolerance ${Math.round(upTol * 100)}%${brief ? '' : ' (behavior.scaleUp.tolerance: Kubernetes ≥ 1.35, or 1.33–1.34 with the HPAConfigurableTolerance gate)'}`,
    );
  const down = cfg.scaleDown?.stabilizationWindowSeconds;
  if (down !== undefined && down !== 300) parts.push(`scale-down window ${down} s`);
  return parts.join(', ');
}

function evaluationText(e: HpaEvaluationData): string {
  return `${num(e.violationMinutes, 1)} min over capacity, ${num(e.replicaHours, 1)} replica-hours`;
}

function hpaAdviceText(ctx: TurnContext, namespace: string, name: string): string {
  const call = hpaAdviceCall(ctx, namespace, name);
  if (!call) return noRequest(ctx, namespace, name);
  const r = ctx.find(call.name, call.args);
  if (!r?.ok) return failed(r) ?? `No HPA advice for ${name}.`;
  const data = r.data as HpaAdviceData;
  const rec = data.recommended;
  const held = data.heldOut;
  const current = (
    call.args as { current: { minReplicas: number; maxReplicas: number; targetUtilization: number } }
  ).current;
  const hpa = hpaFor(ctx, namespace, name);
  if (!rec || !held) return `No HPA advice for ${name}.`;
  const { change, cur, next } = replayDelta(held);
  const lines = [
    `HPA advice for ${name} (${namespace}) from ${CPU_USAGE.rule} at ${CPU_USAGE.stepSeconds / 60}-minute steps, one pod = its CPU request of ${requestText(ctx, namespace, name)}. Both configurations were replayed through the Kubernetes HPA algorithm (15 s sync, 60 s pod start-up) on the last 30% of the history, which the search did not see; "over capacity" = CPU demand above the ready pods' requests:`,
    `- ${hpa ? 'now' : `now (no HPA, ${current.minReplicas} fixed)`}: ${hpa ? `min ${current.minReplicas}, max ${current.maxReplicas}, target ${Math.round(current.targetUtilization * 100)}% → ` : ''}${evaluationText(held.current)}`,
    `- recommended: ${ruleText(rec)} → ${evaluationText(held.recommended)} (${change >= 0 ? '+' : ''}${change.toFixed(Math.abs(change) < 1 ? 1 : 0)}% replica-hours)`,
  ];
  const same =
    ruleText(rec) ===
      ruleText({
        minReplicas: current.minReplicas,
        maxReplicas: current.maxReplicas,
        targetUtilization: current.targetUtilization,
      }) && !rec.scheduledPreScale?.windows.length;
  const pre = rec.scheduledPreScale;
  if (pre && pre.windows.length > 0)
    lines.push(
      `- scheduled pre-scale, every ${pre.every} (${pre.timezone}): ${pre.windows
        .slice(0, 6)
        .map((w) => `${w.from}–${w.to} min ${w.minReplicas}`)
        .join(' · ')}${pre.windowCount > 6 ? ` · … (${pre.windowCount} windows)` : ''}`,
    );
  lines.push(
    next > cur + 1e-9
      ? `- careful: on the held-out part the recommendation is over capacity for longer than now (${num(cur, 1)} → ${num(next, 1)} min) in exchange for the replica-hours; keep the current settings if that matters more`
      : next < cur - 1e-9
        ? `- verdict: fewer minutes over capacity (${num(cur, 1)} → ${num(next, 1)})${change > 10 ? `, for ${change.toFixed(0)}% more replica-hours` : ''}`
        : change <= -1
          ? `- verdict: as many minutes over capacity as now, ${(-change).toFixed(0)}% fewer replica-hours`
          : same
            ? '- verdict: no better configuration found; the current one is fine'
            : `- verdict: about the same as now (${change >= 0 ? '+' : ''}${change.toFixed(1)}% replica-hours); not worth a change`,
  );
  const moves: string[] = [];
  if (hpa && rec.minReplicas !== hpa.minReplicas)
    moves.push(`"set min replicas for ${name} to ${rec.minReplicas}"`);
  if (hpa && rec.maxReplicas !== hpa.maxReplicas)
    moves.push(`"set max replicas for ${name} to ${rec.maxReplicas}"`);
  lines.push(
    moves.length
      ? `To apply the bounds: ${moves.join(' and ')} (each waits for an approver). The target, tolerance, behaviour and schedule go into the HPA manifest; I do not change them.`
      : hpa
        ? 'The bounds stay as they are; the target, tolerance, behaviour and schedule go into the HPA manifest (I do not change them).'
        : `${name} has no HPA; the recommendation is a starting HPA manifest, which I do not create.`,
  );
  return lines.join('\n');
}

export function answer(intent: Intent, ctx: TurnContext): string {
  switch (intent.kind) {
    case 'help':
      return HELP;
    case 'unknown':
      return `I did not understand that request.\n${HELP}`;
    case 'refuse':
      return intent.reason;
    case 'scale': {
      const miss = unresolved(ctx, intent.namespace, intent.service);
      if (miss) return miss;
      const r = ctx.results.find((x) => x.tool === 'k8s_scale_deployment');
      const name = ctx.resolve(intent.namespace, intent.service).name ?? intent.service;
      return mutationText(r, `scale ${name} in ${intent.namespace} to ${intent.replicas} replicas`);
    }
    case 'restart': {
      const miss = unresolved(ctx, intent.namespace, intent.service);
      if (miss) return miss;
      const name = ctx.resolve(intent.namespace, intent.service).name ?? intent.service;
      return mutationText(
        ctx.results.find((x) => x.tool === 'k8s_restart_deployment'),
        `rollout restart of ${name} in ${intent.namespace}`,
      );
    }
    case 'hpa': {
      const miss = unresolved(ctx, intent.namespace, intent.service);
      if (miss) return miss;
      const name = ctx.resolve(intent.namespace, intent.service).name ?? intent.service;
      if (!hpaFor(ctx, intent.namespace, name)) return `${name} in ${intent.namespace} has no HPA.`;
      const bounds = [
        intent.minReplicas !== null ? `min ${intent.minReplicas}` : '',
        intent.maxReplicas !== null ? `max ${intent.maxReplicas}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      return mutationText(
        ctx.results.find((x) => x.tool === 'k8s_patch_hpa'),
        `set the HPA of ${name} in ${intent.namespace} to ${bounds}`,
      );
    }
    case 'predict':
    case 'anomaly': {
      const tool = intent.kind === 'predict' ? 'forecasting_forecast_series' : 'forecasting_detect_anomalies';
      if (!ctx.available.has(tool)) return NO_FORECASTING;
      if (intent.service === null) {
        if (!ctx.available.has(SCAN_TOOL))
          return `This forecasting server has no ${SCAN_TOOL}, so I can only look at one service at a time: "/anomaly <service>".`;
        return namespaceAnomalyText(ctx, intent.namespace, intent.hours);
      }
      const miss = unresolved(ctx, intent.namespace, intent.service);
      if (miss) return miss;
      const name = ctx.resolve(intent.namespace, intent.service).name ?? intent.service;
      return intent.kind === 'predict'
        ? forecastText(ctx, intent, name)
        : anomalyText(ctx, intent.namespace, name, intent.hours);
    }
    case 'bursts':
      if (!ctx.available.has('forecasting_predict_bursts')) return NO_FORECASTING;
      return namespaceBurstsText(ctx, intent.namespace, intent.hours);
    case 'capacity':
    case 'hpa_advice': {
      const tool = intent.kind === 'capacity' ? 'forecasting_plan_capacity' : 'forecasting_advise_hpa';
      if (!ctx.available.has(tool)) return NO_FORECASTING;
      if (intent.service === null)
        return intent.kind === 'capacity'
          ? namespaceCapacityText(ctx, intent.namespace)
          : namespaceAdviceText(ctx, intent.namespace);
      const miss = unresolved(ctx, intent.namespace, intent.service);
      if (miss) return miss;
      const name = ctx.resolve(intent.namespace, intent.service).name ?? intent.service;
      return intent.kind === 'capacity'
        ? capacityText(ctx, intent.namespace, name)
        : hpaAdviceText(ctx, intent.namespace, name);
    }
    case 'delete_pod':
      return mutationText(
        ctx.results.find((x) => x.tool === 'k8s_delete_pod'),
        `delete pod ${intent.pod} in ${intent.namespace}`,
      );
    case 'logs': {
      if (!intent.isPod) {
        const miss = unresolved(ctx, intent.namespace, intent.target);
        if (miss) return miss;
      }
      const r = ctx.results.find((x) => x.tool === 'k8s_get_pod_logs');
      if (!r) return 'Logs are not available.';
      if (!r.ok) return failed(r) ?? 'Logs are not available.';
      const logs = (r.data as { logs?: Array<{ pod: string; lines: string }> })?.logs ?? [];
      const body = logs
        .map((l) => `--- ${l.pod}\n${l.lines.split('\n').filter(Boolean).slice(-15).join('\n')}`)
        .join('\n');
      return `Recent logs (${intent.namespace}), quoted as data:\n\`\`\`\n${body}\n\`\`\``;
    }
    case 'alerts': {
      const r = ctx.results.find((x) => x.tool === 'metrics_list_alerts');
      if (!r?.ok) return failed(r) ?? 'Alerts are not available.';
      const alerts = (r.data as { alerts?: AlertInfo[] })?.alerts ?? [];
      if (alerts.length === 0) return 'No alerts are firing.';
      return [
        `${alerts.length} active alert${alerts.length > 1 ? 's' : ''}:`,
        ...alerts.map(
          (a) =>
            `- ${a.name} [${a.state}${a.severity ? `, ${a.severity}` : ''}] ${a.labels.namespace ?? ''}/${a.labels.service ?? a.labels.deployment ?? ''}${a.annotations.summary ? ` — ${a.annotations.summary.slice(0, 160)}` : ''}`,
        ),
      ].join('\n');
    }
    case 'list': {
      const r = ctx.results[ctx.results.length - 1];
      if (!r?.ok) return failed(r) ?? 'Not available.';
      const d = r.data as Record<string, unknown>;
      switch (intent.what) {
        case 'pods':
          return [
            `Pods in ${intent.namespace}:`,
            ...((d.pods as PodInfo[]) ?? []).map(
              (p) => `- ${p.name}: ${p.status}, ${p.restarts} restarts, node ${p.node ?? '-'}`,
            ),
          ].join('\n');
        case 'deployments':
          return [
            `Deployments in ${intent.namespace}:`,
            ...((d.deployments as DeploymentInfo[]) ?? []).map(deploymentsLine),
          ].join('\n');
        case 'nodes':
          return [
            'Nodes:',
            ...((d.nodes as NodeInfo[]) ?? []).map(
              (n) =>
                `- ${n.name}: ${n.ready ? 'Ready' : 'NotReady'}, ${n.nodeGroup ?? '-'}, ${n.instanceType ?? '-'} ${n.capacityType ?? ''}${n.hourlyPrice ? ` $${n.hourlyPrice}/h` : ''}`,
            ),
          ].join('\n');
        case 'hpas':
          return [
            `HPAs in ${intent.namespace}:`,
            ...((d.hpas as HpaInfo[]) ?? []).map(
              (h) =>
                `- ${h.name} → ${h.target.name}: ${h.currentReplicas} replicas (min ${h.minReplicas}, max ${h.maxReplicas}), CPU ${h.currentCpuUtilization ?? 'n/a'}%/${h.targetCpuUtilization ?? 'n/a'}%`,
            ),
          ].join('\n');
        case 'events':
          return [
            `Recent events in ${intent.namespace}:`,
            ...((d.events as EventInfo[]) ?? [])
              .slice(-20)
              .map(
                (e) =>
                  `- ${e.lastTimestamp} ${e.type} ${e.reason} ${e.involvedObject.kind}/${e.involvedObject.name}: ${e.message.slice(0, 140)}`,
              ),
          ].join('\n');
        case 'namespaces':
          return `Namespaces: ${((d.namespaces as Array<{ name: string }>) ?? []).map((n) => n.name).join(', ')}`;
      }
      return 'Done.';
    }
    case 'describe': {
      const r = ctx.results.find((x) => x.tool === 'k8s_describe_resource');
      if (!r?.ok) return failed(r) ?? 'Not available.';
      return `\`\`\`json\n${r.text.slice(0, 3000)}\n\`\`\``;
    }
    case 'status': {
      if (intent.service) {
        const ns = intent.namespace ?? 'prod';
        return (
          unresolved(ctx, ns, intent.service) ??
          statusOfService(ctx, ns, ctx.resolve(ns, intent.service).name ?? intent.service)
        );
      }
      if (intent.namespace) return statusOfNamespace(ctx, intent.namespace);
      return statusOfCluster(ctx);
    }
    case 'why': {
      const miss = unresolved(ctx, intent.namespace, intent.service);
      if (miss) return miss;
      return diagnose(ctx, intent, ctx.resolve(intent.namespace, intent.service).name ?? intent.service);
    }
  }
}
