/**
 * One shipped alert, end to end through Debian's real Prometheus and Alertmanager:
 * the host's /metrics → Prometheus (the shipped rule files) → Alertmanager (the shipped routing)
 * → the host's /webhooks/alertmanager → /api/alerts and the console's /api/notifications.
 *
 * The test drives the host into the alert's condition for real: alice asks for more changes
 * than DevopsAiApprovalBacklog tolerates, so that many approvals are pending; bob then rejects
 * them and the alert resolves. Two documented transformations keep it under a minute: the
 * backlog alert's `for: 15m` becomes `for: 2s` (shortenAlertFor), and Alertmanager's
 * group_wait/group_interval become 1s with the webhook pointed at this host
 * (alertmanagerConfigForTest). The first two tests prove nothing else differs from the shipped files.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { hostConfigSchema } from '../host/src/config.js';
import { type RunningHost, startHost } from '../host/src/serve.js';
import {
  alertmanagerConfigForTest,
  durationMs,
  shortenAlertFor,
  startAlertmanager,
  startPrometheus,
  waitFor,
} from './helpers/alerting-stack.js';
import { api, type Servers, startServers } from './helpers/platform.js';
import type { Daemon } from './infra/lib/daemon.js';
import { requireTool } from './infra/lib/tools.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rulesDir = join(root, 'observability', 'prometheus', 'rules');
const PLATFORM_RULES = 'platform.rules.yml';
const SHIPPED_AM = join(root, 'observability', 'alertmanager', 'alertmanager.yml');
const ALERT = 'DevopsAiApprovalBacklog';
const SHORT_FOR = '2s';
const AM_TIMING = { groupWait: '1s', groupInterval: '1s' };
/** From "the condition holds" to "the host has the notification": scrape 1s + eval 1s + for 2s + group_wait 1s, with room for a loaded CI machine. */
const DELIVERY_TIMEOUT_MS = 25_000;

const shippedRules = readFileSync(join(rulesDir, PLATFORM_RULES), 'utf8');
const testRules = shortenAlertFor(shippedRules, ALERT, SHORT_FOR);
const shippedAm = readFileSync(SHIPPED_AM, 'utf8');

type Obj = Record<string, unknown>;
const rulesDoc = z.looseObject({
  groups: z.array(
    z.looseObject({ name: z.string(), rules: z.array(z.looseObject({ alert: z.string().optional() })) }),
  ),
});
/** A rule file with the backlog alert's `for:` taken out (returned apart), to compare the rest. */
function withoutAlertFor(yamlText: string): { doc: unknown; for: unknown } {
  let removed: unknown;
  const parsed = rulesDoc.parse(parseYaml(yamlText));
  const groups = parsed.groups.map((g) => ({
    ...g,
    rules: g.rules.map((r) => {
      if (r.alert !== ALERT) return r;
      const { for: f, ...rest } = r;
      removed = f;
      return rest;
    }),
  }));
  return { doc: { ...parsed, groups }, for: removed };
}

/** How many pending approvals DevopsAiApprovalBacklog tolerates, read from the shipped expression. */
function backlogThreshold(): number {
  const rule = rulesDoc
    .parse(parseYaml(shippedRules))
    .groups.flatMap((g) => g.rules)
    .find((r) => r.alert === ALERT);
  const expr = String(rule?.expr ?? '').trim();
  const m = /^max\(devops_ai_approvals_pending\)\s*>\s*(\d+)$/.exec(expr);
  if (!m) throw new Error(`${ALERT}'s expression changed shape (${expr}); update this test`);
  return Number(m[1]);
}

const hostAlert = z.object({
  fingerprint: z.string(),
  name: z.string(),
  status: z.enum(['firing', 'resolved']),
  severity: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  startsAt: z.string(),
  endsAt: z.string().nullable(),
});
const alertsBody = z.object({ alerts: z.array(hostAlert) });
const notificationsBody = z.object({
  notifications: z.array(
    z.object({
      seq: z.number(),
      at: z.string(),
      event: z.looseObject({ type: z.string(), alert: hostAlert.optional() }),
    }),
  ),
});
const promRules = z.object({
  data: z.object({
    groups: z.array(
      z.object({
        name: z.string(),
        file: z.string(),
        rules: z.array(
          z.looseObject({
            name: z.string(),
            type: z.string(),
            state: z.string().optional(),
            duration: z.number().optional(),
            lastEvaluation: z.string(),
            alerts: z
              .array(
                z.object({
                  labels: z.record(z.string(), z.string()),
                  state: z.string(),
                  activeAt: z.string(),
                }),
              )
              .optional(),
          }),
        ),
      }),
    ),
  }),
});
const promQuery = z.object({
  data: z.object({ result: z.array(z.object({ value: z.tuple([z.number(), z.string()]) })) }),
});

const amList = z.object({ data: z.object({ activeAlertmanagers: z.array(z.object({ url: z.string() })) }) });

describe('a shipped alert through real Prometheus and Alertmanager into the host', () => {
  let dir: string;
  let servers: Servers | undefined;
  let host: RunningHost | undefined;
  let am: Daemon | undefined;
  let prom: Daemon | undefined;
  const threshold = backlogThreshold();
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    const t0 = Date.now();
    // A missing binary fails the file before anything starts (vitest lists the tests as skipped
    // under a failed suite and exits 1; it is never a silent skip).
    requireTool('prometheus', 'prometheus');
    requireTool('prometheus-alertmanager', 'prometheus-alertmanager');
    dir = mkdtempSync(join(tmpdir(), 'obs-host-'));
    const token = randomBytes(24).toString('hex');
    servers = await startServers();
    host = await startHost(
      hostConfigSchema.parse({
        port: 0,
        dataDir: join(dir, 'host'),
        alertmanagerToken: token,
        servers: {
          k8s: { url: servers.k8s.url, token: servers.k8s.token },
          metrics: { url: servers.metrics.url, token: servers.metrics.token },
        },
      }),
      {},
    );
    const tokenFile = join(dir, 'webhook-token');
    writeFileSync(tokenFile, token, { mode: 0o600 });
    am = await startAlertmanager(
      join(dir, 'alertmanager'),
      alertmanagerConfigForTest(shippedAm, {
        webhookUrl: `${host.url}/webhooks/alertmanager`,
        credentialsFile: tokenFile,
        ...AM_TIMING,
      }),
    );
    const ruleFiles = readdirSync(rulesDir)
      .filter((f) => f.endsWith('.yml'))
      .map((f) => (f === PLATFORM_RULES ? join(dir, f) : join(rulesDir, f)));
    writeFileSync(join(dir, PLATFORM_RULES), testRules);
    prom = await startPrometheus(join(dir, 'prometheus'), {
      scrapeTarget: new URL(host.url).host,
      ruleFiles,
      alertmanager: new URL(am.url).host,
    });
    // Prometheus applies discovered targets and Alertmanagers on a 5 s tick: wait for both, so the
    // timings below measure the pipeline, not Prometheus' start.
    const promUrl = prom.url;
    await waitFor(
      "Prometheus' first scrape of the host and its Alertmanager",
      async () => {
        const up = promQuery.parse(
          await (
            await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent('up{job="devops-ai-host"}')}`)
          ).json(),
        );
        const ams = amList.parse(await (await fetch(`${promUrl}/api/v1/alertmanagers`)).json());
        return up.data.result[0]?.value[1] === '1' && ams.data.activeAlertmanagers.length === 1
          ? true
          : undefined;
      },
      20_000,
      diagnose,
    );
    timings.startupMs = Date.now() - t0;
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled([prom?.stop(), am?.stop()]);
    await host?.close();
    await servers?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    process.stdout.write(`observability-host timings: ${JSON.stringify(timings)}\n`);
  });

  const hostGet = async <T>(schema: z.ZodType<T>, path: string) => {
    const r = await api(host?.url ?? '', 'carol', 'GET', path);
    expect(r.status, path).toBe(200);
    return schema.parse(r.body);
  };
  const rulesNow = async () =>
    promRules.parse(await (await fetch(`${prom?.url}/api/v1/rules?type=alert`)).json());
  const backlogRule = async () => {
    const rule = (await rulesNow()).data.groups.flatMap((g) => g.rules).find((r) => r.name === ALERT);
    if (!rule) throw new Error(`Prometheus has no rule ${ALERT}`);
    return rule;
  };
  const diagnose = async () => {
    const get = async (url: string) => {
      try {
        return (await (await fetch(url)).text()).slice(0, 2000);
      } catch (e) {
        return String(e);
      }
    };
    return [
      `prometheus alerts: ${await get(`${prom?.url}/api/v1/alerts`)}`,
      `prometheus targets: ${await get(`${prom?.url}/api/v1/targets`)}`,
      `alertmanager alerts: ${await get(`${am?.url}/api/v2/alerts`)}`,
      `host alerts: ${JSON.stringify((await api(host?.url ?? '', 'carol', 'GET', '/api/alerts')).body)}`,
      `prometheus log: ${prom?.logs().slice(-1500)}`,
      `alertmanager log: ${am?.logs().slice(-1500)}`,
    ].join('\n');
  };
  const requestChange = async (replicas: number) => {
    const r = await api<{ approvals: Array<{ status: string }> }>(
      host?.url ?? '',
      'alice',
      'POST',
      '/api/chat',
      {
        text: `scale checkout-api in prod to ${replicas} replicas`,
      },
    );
    expect(r.status).toBe(200);
    expect(r.body.approvals.map((a) => a.status)).toEqual(['pending']);
  };

  it(`the rules Prometheus loads differ from the shipped ones only in ${ALERT}'s shorter for:`, async () => {
    const shipped = withoutAlertFor(shippedRules);
    const loaded = withoutAlertFor(testRules);
    expect(loaded.doc).toEqual(shipped.doc);
    expect(loaded.for).toBe(SHORT_FOR);
    expect(durationMs(String(shipped.for))).toBeGreaterThan(durationMs(SHORT_FOR));
    // And that is what the running Prometheus has: every shipped group, the shortened hold.
    const groups = (await rulesNow()).data.groups;
    const shippedGroups = readdirSync(rulesDir)
      .filter((f) => f.endsWith('.yml'))
      .flatMap((f) => rulesDoc.parse(parseYaml(readFileSync(join(rulesDir, f), 'utf8'))).groups)
      .map((g) => g.name);
    expect(groups.map((g) => g.name).sort()).toEqual([...shippedGroups].sort());
    expect((await backlogRule()).duration).toBe(durationMs(SHORT_FOR) / 1000);
  });

  it('the Alertmanager configuration differs from the shipped one only in webhook target and group timing', () => {
    const normalise = (text: string) => {
      const cfg = parseYaml(text) as { route: Obj; receivers: Array<{ webhook_configs?: Obj[] }> };
      const strip = (route: Obj): Obj => {
        const { group_wait: _w, group_interval: _i, routes, ...rest } = route;
        return { ...rest, ...(Array.isArray(routes) ? { routes: (routes as Obj[]).map(strip) } : {}) };
      };
      return {
        ...cfg,
        route: strip(cfg.route),
        receivers: cfg.receivers.map((r) => ({
          ...r,
          ...(r.webhook_configs
            ? {
                webhook_configs: r.webhook_configs.map((w) => {
                  const {
                    url: _u,
                    http_config,
                    ...rest
                  } = w as Obj & { http_config: { authorization: Obj } };
                  const { credentials_file: _c, ...auth } = http_config.authorization;
                  return { ...rest, http_config: { ...http_config, authorization: auth } };
                }),
              }
            : {}),
        })),
      };
    };
    const test = alertmanagerConfigForTest(shippedAm, {
      webhookUrl: 'http://127.0.0.1:1/webhooks/alertmanager',
      credentialsFile: '/tmp/token',
      ...AM_TIMING,
    });
    expect(normalise(test)).toEqual(normalise(shippedAm));
    expect(test).not.toEqual(shippedAm);
  });

  it(`stays quiet at ${threshold} pending approvals, fires above, and Alertmanager delivers it to the host`, async () => {
    const chatStart = Date.now();
    for (let i = 0; i < threshold; i++) await requestChange(2 + i);
    timings.chatsMs = Date.now() - chatStart;
    // Prometheus has scraped `threshold` pending approvals and evaluated the rule on it: inactive.
    const sampleAt = await waitFor(
      `Prometheus to scrape ${threshold} pending approvals`,
      async () => {
        const q = promQuery.parse(
          await (
            await fetch(
              `${prom?.url}/api/v1/query?query=${encodeURIComponent('max(devops_ai_approvals_pending)')}`,
            )
          ).json(),
        );
        const v = q.data.result[0]?.value;
        return v && Number(v[1]) === threshold ? Date.now() : undefined;
      },
      DELIVERY_TIMEOUT_MS,
      diagnose,
    );
    timings.scrapedMs = Date.now() - chatStart - timings.chatsMs;
    const quiet = await waitFor(
      'a rule evaluation after that scrape',
      async () => {
        const r = await backlogRule();
        return Date.parse(r.lastEvaluation) > sampleAt ? r : undefined;
      },
      DELIVERY_TIMEOUT_MS,
      diagnose,
    );
    expect(quiet.state).toBe('inactive');
    expect(quiet.alerts ?? []).toEqual([]);
    timings.quietCheckMs = Date.now() - chatStart - timings.chatsMs;

    await requestChange(2 + threshold);
    const crossed = Date.now();
    const firing = await waitFor(
      `${ALERT} to reach the host`,
      async () =>
        (await hostGet(alertsBody, '/api/alerts?status=firing')).alerts.find((a) => a.name === ALERT),
      DELIVERY_TIMEOUT_MS,
      diagnose,
    );
    timings.firingDeliveredMs = Date.now() - crossed;
    // Labels as the shipped rule sets them (max() drops job and instance).
    expect(firing.labels).toEqual({ alertname: ALERT, severity: 'warning', component: 'host' });
    expect(firing.severity).toBe('warning');
    expect(firing.annotations.summary).toMatch(new RegExp(`^${threshold + 1} proposed changes`));
    expect(firing.endsAt).toBeNull();
    // The shortened `for:` still holds: Prometheus fired at least 2 s after the alert went active.
    const promAlert = (await backlogRule()).alerts?.[0];
    expect(promAlert?.state).toBe('firing');
    const heldMs = Date.parse(firing.startsAt) - Date.parse(promAlert?.activeAt ?? '');
    timings.pendingHeldMs = heldMs;
    expect(heldMs).toBeGreaterThanOrEqual(durationMs(SHORT_FOR));
    expect(Date.now() - crossed).toBeGreaterThanOrEqual(durationMs(SHORT_FOR));

    const feed = await hostGet(notificationsBody, '/api/notifications');
    const alertEvents = feed.notifications.filter((n) => n.event.type.startsWith('alert.'));
    expect(alertEvents.map((n) => `${n.event.type}:${n.event.alert?.name}`)).toEqual([
      `alert.firing:${ALERT}`,
    ]);
    expect(alertEvents[0]?.event.alert).toEqual(firing);
    expect(feed.notifications.filter((n) => n.event.type === 'approval.requested')).toHaveLength(
      threshold + 1,
    );
  }, 60_000);

  it('resolves when bob rejects the pending changes, and the resolved notification closes it', async () => {
    const pending = await api<{ approvals: Array<{ id: string }> }>(
      host?.url ?? '',
      'bob',
      'GET',
      '/api/approvals?status=pending',
    );
    expect(pending.body.approvals).toHaveLength(threshold + 1);
    const start = Date.now();
    for (const a of pending.body.approvals) {
      const r = await api(host?.url ?? '', 'bob', 'POST', `/api/approvals/${a.id}/reject`, {
        reason: 'backlog drill',
      });
      expect(r.status).toBe(200);
    }
    const resolved = await waitFor(
      `${ALERT} resolved in the host`,
      async () =>
        (await hostGet(alertsBody, '/api/alerts?status=resolved')).alerts.find((a) => a.name === ALERT),
      DELIVERY_TIMEOUT_MS,
      diagnose,
    );
    timings.resolvedDeliveredMs = Date.now() - start;
    expect(resolved.labels).toEqual({ alertname: ALERT, severity: 'warning', component: 'host' });
    expect(resolved.endsAt).not.toBeNull();
    expect((await hostGet(alertsBody, '/api/alerts?status=firing')).alerts).toEqual([]);
    const feed = await hostGet(notificationsBody, '/api/notifications');
    const alertEvents = feed.notifications.filter((n) => n.event.type.startsWith('alert.'));
    expect(alertEvents.map((n) => `${n.event.type}:${n.event.alert?.name}`)).toEqual([
      `alert.firing:${ALERT}`,
      `alert.resolved:${ALERT}`,
    ]);
    expect(new Set(alertEvents.map((n) => n.event.alert?.fingerprint)).size).toBe(1);
    expect((await backlogRule()).state).toBe('inactive');
  }, 60_000);
});
