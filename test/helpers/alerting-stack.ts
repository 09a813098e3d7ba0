import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { type Daemon, startDaemon } from '../infra/lib/daemon.js';
import { freePort, requireTool } from '../infra/lib/tools.js';

/**
 * Debian's real Prometheus and Alertmanager wired to a devops-ai host, for integration tests.
 * The shipped observability/ files are loaded as they are, except for the two documented
 * transformations below (a shorter `for:` on one alert, and the test host's webhook address).
 */

export class AlertingStackError extends Error {
  override readonly name = 'AlertingStackError';
  constructor(
    readonly code: 'rule_not_found' | 'not_shorter' | 'bad_duration' | 'no_webhook',
    message: string,
  ) {
    super(message);
  }
}

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};

/** A Prometheus duration ("15m", "1h30m", "500ms") in milliseconds. */
export function durationMs(text: string): number {
  const parts = [...text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text)
    throw new AlertingStackError('bad_duration', `not a Prometheus duration: ${JSON.stringify(text)}`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_MS[p[2] as string] ?? 0), 0);
}

const ruleSchema = z.looseObject({ alert: z.string().optional(), for: z.string().optional() });
const ruleFileSchema = z.object({
  groups: z.array(z.looseObject({ name: z.string(), rules: z.array(ruleSchema) })),
});
type Rule = z.infer<typeof ruleSchema>;

/**
 * The one transformation allowed on a shipped rule file: the `for:` of one alert is replaced by
 * a shorter duration, so a test does not wait 15 minutes. The parsed document is otherwise
 * identical (comments and formatting are not kept).
 */
export function shortenAlertFor(rulesYaml: string, alert: string, to: string): string {
  const raw: unknown = parseYaml(rulesYaml);
  const doc = ruleFileSchema.parse(raw);
  // Validated above; edit the raw document so key order and unknown keys stay as shipped.
  const rawGroups = (raw as { groups: Array<{ rules: Rule[] }> }).groups;
  const hits = doc.groups.flatMap((g, gi) =>
    g.rules.flatMap((r, ri) => (r.alert === alert ? [rawGroups[gi]?.rules[ri]] : [])),
  );
  const rule = hits[0];
  if (hits.length !== 1 || !rule)
    throw new AlertingStackError(
      'rule_not_found',
      `expected one rule for alert ${alert}, found ${hits.length}`,
    );
  const from = rule.for ?? '0s';
  if (!(durationMs(to) < durationMs(from)))
    throw new AlertingStackError('not_shorter', `for: ${to} is not shorter than ${alert}'s for: ${from}`);
  rule.for = to;
  return stringifyYaml(raw);
}

interface AmRoute {
  group_wait?: string | undefined;
  group_interval?: string | undefined;
  routes?: AmRoute[] | undefined;
}
const amRouteSchema: z.ZodType<AmRoute> = z.looseObject({
  group_wait: z.string().optional(),
  group_interval: z.string().optional(),
  get routes() {
    return z.array(amRouteSchema).optional();
  },
});
const amConfigSchema = z.looseObject({
  route: amRouteSchema,
  receivers: z.array(
    z.looseObject({
      name: z.string(),
      webhook_configs: z
        .array(
          z.looseObject({
            url: z.string(),
            http_config: z
              .looseObject({
                authorization: z
                  .looseObject({ type: z.string().optional(), credentials_file: z.string().optional() })
                  .optional(),
              })
              .optional(),
          }),
        )
        .optional(),
    }),
  ),
});
type AmConfig = z.infer<typeof amConfigSchema>;

/**
 * The shipped Alertmanager configuration pointed at a test host: every webhook's URL and bearer
 * credentials file are swapped, and `group_wait`/`group_interval` are shortened on the root route
 * and wherever a child route sets them (so the first notification and the resolved one are not
 * held for 30 s / 5 min). Receivers, matchers, grouping labels, `send_resolved`, repeat intervals
 * and inhibitions are left as shipped.
 */
export function alertmanagerConfigForTest(
  shippedYaml: string,
  o: { webhookUrl: string; credentialsFile: string; groupWait: string; groupInterval: string },
): string {
  const raw: unknown = parseYaml(shippedYaml);
  amConfigSchema.parse(raw);
  const cfg = raw as AmConfig; // validated; edited in place to keep the shipped key order
  let hooks = 0;
  for (const r of cfg.receivers) {
    for (const w of r.webhook_configs ?? []) {
      const auth = w.http_config?.authorization;
      if (!auth?.credentials_file)
        throw new AlertingStackError('no_webhook', `receiver ${r.name} has no bearer credentials_file`);
      w.url = o.webhookUrl;
      auth.credentials_file = o.credentialsFile;
      hooks++;
    }
  }
  if (hooks === 0) throw new AlertingStackError('no_webhook', 'the configuration has no webhook receiver');
  const shorten = (route: AmRoute, root: boolean) => {
    if (root || route.group_wait !== undefined) route.group_wait = o.groupWait;
    if (root || route.group_interval !== undefined) route.group_interval = o.groupInterval;
    for (const child of route.routes ?? []) shorten(child, false);
  };
  shorten(cfg.route, true);
  return stringifyYaml(cfg);
}

export async function startAlertmanager(dir: string, configYaml: string): Promise<Daemon> {
  const bin = requireTool('prometheus-alertmanager', 'prometheus-alertmanager');
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, 'alertmanager.yml');
  writeFileSync(configFile, configYaml);
  const port = await freePort();
  return startDaemon(
    bin,
    [
      `--config.file=${configFile}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=', // empty: no gossip, a single isolated Alertmanager
      '--log.level=warn',
    ],
    port,
    '/-/ready',
  );
}

/**
 * Prometheus scraping one target every second, evaluating rules every second (groups that set
 * their own `interval:` keep it) and sending alerts to one Alertmanager.
 */
export async function startPrometheus(
  dir: string,
  o: { scrapeTarget: string; ruleFiles: string[]; alertmanager: string },
): Promise<Daemon> {
  const bin = requireTool('prometheus', 'prometheus');
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(
    configFile,
    stringifyYaml({
      global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
      rule_files: o.ruleFiles,
      alerting: { alertmanagers: [{ api_version: 'v2', static_configs: [{ targets: [o.alertmanager] }] }] },
      scrape_configs: [
        {
          job_name: 'devops-ai-host',
          metrics_path: '/metrics',
          static_configs: [{ targets: [o.scrapeTarget] }],
        },
      ],
    }),
  );
  const port = await freePort();
  return startDaemon(
    bin,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    port,
    '/-/ready',
  );
}

/** Polls `probe` every `everyMs` until it returns a value (not undefined), or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  diagnose?: () => Promise<string>,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) {
      const extra = diagnose ? `\n${await diagnose().catch((e: unknown) => String(e))}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${extra}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
