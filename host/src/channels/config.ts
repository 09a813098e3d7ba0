import { z } from 'zod';

const csv = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .or(z.array(z.string()));

/** `slack:U024BE7LH=bob` or `telegram:123456789=alice`: a platform user mapped to a devops-ai user id. */
const identityKey = z
  .string()
  .regex(/^(slack|telegram):[A-Za-z0-9_-]{1,64}$/, 'slack:<user id> or telegram:<user id>');

export const slackConfigSchema = z
  .object({
    botToken: z.string().regex(/^xoxb-[A-Za-z0-9-]+$/, 'a bot token (xoxb-…)'),
    /** HTTP mode: Slack signs every request with it; Bolt verifies. */
    signingSecret: z.string().min(16).optional(),
    /** Socket Mode (behind a firewall): an app-level token with connections:write. */
    appToken: z
      .string()
      .regex(/^xapp-[A-Za-z0-9-]+$/, 'an app-level token (xapp-…)')
      .optional(),
    mode: z.enum(['http', 'socket']).default('http'),
    /** Channel id (C…) where notifications go; none: notifications are not sent to Slack. */
    notifyChannel: z
      .string()
      .regex(/^[CGD][A-Z0-9]{2,}$/, 'a Slack channel id (C…)')
      .optional(),
    /** Web API base URL (default https://slack.com/api/); tests point it at a local server. */
    apiUrl: z.url().optional(),
  })
  .superRefine((s, ctx) => {
    if (s.mode === 'http' && !s.signingSecret)
      ctx.addIssue({
        code: 'custom',
        message: 'HTTP mode needs SLACK_SIGNING_SECRET',
        path: ['signingSecret'],
      });
    if (s.mode === 'socket' && !s.appToken)
      ctx.addIssue({ code: 'custom', message: 'Socket Mode needs SLACK_APP_TOKEN', path: ['appToken'] });
  });

export const telegramConfigSchema = z
  .object({
    botToken: z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'a bot token from @BotFather'),
    mode: z.enum(['polling', 'webhook']).default('polling'),
    /** Webhook mode: Telegram sends it in X-Telegram-Bot-Api-Secret-Token; 1-256 of A-Z a-z 0-9 _ -. */
    webhookSecret: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, '16-256 characters of A-Z a-z 0-9 _ -')
      .optional(),
    /** Public HTTPS URL Telegram posts to (webhook mode); setWebhook is called with it when set. */
    webhookUrl: z.url().optional(),
    allowedChats: csv.default([]),
    allowedUsers: csv.default([]),
    notifyChat: z
      .string()
      .regex(/^-?\d+$/, 'a numeric chat id')
      .optional(),
    /** Bot API root (default https://api.telegram.org); tests point it at a local server. */
    apiRoot: z.url().optional(),
  })
  .superRefine((t, ctx) => {
    if (t.mode === 'webhook' && !t.webhookSecret)
      ctx.addIssue({
        code: 'custom',
        message: 'webhook mode needs TELEGRAM_WEBHOOK_SECRET',
        path: ['webhookSecret'],
      });
  });

export const channelsConfigSchema = z.object({
  slack: slackConfigSchema.optional(),
  telegram: telegramConfigSchema.optional(),
  /** Platform user → devops-ai user id. The approver of a click is the mapped user of the clicker. */
  identities: z.record(identityKey, z.string().min(1)).default({}),
  /** What unmapped platform users get: nothing (ignore) or the read-only rights of `readOnlyUser`. */
  unknownUsers: z.enum(['ignore', 'read-only']).default('ignore'),
  /** A devops-ai user with only the viewer role; unmapped users act as it under `read-only`. */
  readOnlyUser: z.string().optional(),
  grafana: z.object({ url: z.url(), token: z.string().min(8) }).optional(),
  notifications: z
    .object({
      /** Most messages per sink per minute; the rest is summarised once the minute is over. */
      perMinute: z.coerce.number().int().min(1).max(600).default(20),
      /** The same notification (same event on the same object) is sent once per window. */
      dedupeSeconds: z.coerce.number().int().min(0).max(86_400).default(600),
    })
    .default({ perMinute: 20, dedupeSeconds: 600 }),
  /** How often the cluster is read (through the k8s MCP tools) to notice scale-outs and new nodes; 0 = off. */
  clusterWatchSeconds: z.coerce.number().int().min(0).max(3600).default(30),
});

export type ChannelsConfig = z.infer<typeof channelsConfigSchema>;
export type SlackConfig = z.infer<typeof slackConfigSchema>;
export type TelegramConfig = z.infer<typeof telegramConfigSchema>;

/** `slack:U1=bob, telegram:42=alice` → { 'slack:U1': 'bob', 'telegram:42': 'alice' } */
function parseIdentities(raw: string | undefined): Record<string, string> | undefined {
  if (!raw) return undefined;
  const out: Record<string, string> = {};
  for (const pair of raw.split(',')) {
    const [k, v] = pair.split('=').map((x) => x.trim());
    if (k && v) out[k] = v;
    else if (pair.trim()) out[pair.trim()] = '';
  }
  return out;
}

/** Reads the channels' environment variables into a raw object for channelsConfigSchema. */
export function channelsConfigFromEnv(env: Record<string, string | undefined>) {
  const pick = <T extends Record<string, unknown>>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  const slack = env.SLACK_BOT_TOKEN
    ? pick({
        botToken: env.SLACK_BOT_TOKEN,
        signingSecret: env.SLACK_SIGNING_SECRET,
        appToken: env.SLACK_APP_TOKEN,
        mode: env.SLACK_MODE ?? (env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET ? 'socket' : undefined),
        notifyChannel: env.SLACK_NOTIFY_CHANNEL,
        apiUrl: env.SLACK_API_URL,
      })
    : undefined;
  const telegram = env.TELEGRAM_BOT_TOKEN
    ? pick({
        botToken: env.TELEGRAM_BOT_TOKEN,
        mode: env.TELEGRAM_MODE,
        webhookSecret: env.TELEGRAM_WEBHOOK_SECRET,
        webhookUrl: env.TELEGRAM_WEBHOOK_URL,
        allowedChats: env.TELEGRAM_ALLOWED_CHATS,
        allowedUsers: env.TELEGRAM_ALLOWED_USERS,
        notifyChat: env.TELEGRAM_NOTIFY_CHAT,
        apiRoot: env.TELEGRAM_API_ROOT,
      })
    : undefined;
  return pick({
    slack,
    telegram,
    identities: parseIdentities(env.DEVOPS_AI_CHANNEL_IDENTITIES),
    unknownUsers: env.DEVOPS_AI_CHANNEL_UNKNOWN_USERS,
    readOnlyUser: env.DEVOPS_AI_CHANNEL_READ_ONLY_USER,
    grafana: env.GRAFANA_URL ? { url: env.GRAFANA_URL, token: env.GRAFANA_TOKEN } : undefined,
    notifications: pick({
      perMinute: env.DEVOPS_AI_NOTIFY_PER_MINUTE,
      dedupeSeconds: env.DEVOPS_AI_NOTIFY_DEDUPE_SECONDS,
    }),
    clusterWatchSeconds: env.DEVOPS_AI_CLUSTER_WATCH_SECONDS,
  });
}
