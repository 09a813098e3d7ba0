import { randomUUID } from 'node:crypto';
import type { ToolGateway } from '@devops-ai/graphs';
import type { UserFromGetMe } from 'grammy/types';
import { z } from 'zod';
import type { Host } from '../app.js';
import { approvalView } from '../approval-service.js';
import type { HostUser } from '../users.js';
import { readBodyText } from './body.js';
import { createClusterWatch } from './cluster-watch.js';
import type { ChannelsConfig } from './config.js';
import { createGraphService } from './graph/service.js';
import { createIdentityMap } from './identity.js';
import { createNotificationHub, type NotificationSink } from './notifications.js';
import { createPipeline } from './pipeline.js';
import { createSlackChannel, type SlackChannel } from './slack/index.js';
import { createTelegramChannel, type TelegramChannel } from './telegram/index.js';
import { createToolReader } from './tool-reader.js';
import type { ChannelName, Reply } from './types.js';

export { COMMANDS, helpText, parseCommand } from './commands.js';
export { type ChannelsConfig, channelsConfigFromEnv, channelsConfigSchema } from './config.js';
export { createPipeline, outcomeLine, type Pipeline } from './pipeline.js';
export type { ChannelName, InboundMessage, Reply } from './types.js';

/** Largest Slack or Telegram webhook body accepted (both platforms send a few KiB). */
const WEBHOOK_MAX_BYTES = 1024 * 1024;

export interface AttachOptions {
  /** The host's gateway (the same MCP clients the copilot uses). */
  gateway: ToolGateway;
  /** Telegram bot identity, to skip getMe (tests). */
  telegramBotInfo?: UserFromGetMe;
  /** fetch used for Grafana's render API. */
  fetch?: typeof fetch;
  agents?: () => string[];
}

const consoleBody = z
  .object({
    text: z.string().trim().min(1, 'text is empty').max(4000),
    conversation: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,100}$/)
      .optional(),
  })
  .strict();

/** A Reply as JSON for the web console (the PNG inline as a data: URL). */
function replyJson(conversation: string, r: Reply) {
  return {
    conversation,
    reply: r.text,
    approvals: r.approvals,
    ...(r.image
      ? {
          image: {
            dataUrl: `data:image/png;base64,${Buffer.from(r.image.png).toString('base64')}`,
            title: r.image.title,
            caption: r.image.caption,
          },
        }
      : {}),
    ...(r.refused ? { refused: r.refused } : {}),
    ...(r.decision ? { decision: { ok: r.decision.ok, code: r.decision.code ?? null } } : {}),
  };
}

/**
 * Builds the channels on a host: the one pipeline, Slack and Telegram when configured, the web
 * console's and terminal's entry into the same pipeline, notifications and the cluster watch.
 * Routes are mounted on the host's Hono app; call before the server starts serving.
 */
export function attachChannels(host: Host, config: ChannelsConfig, opts: AttachOptions) {
  const identity = createIdentityMap(config, host.users);
  const read = createToolReader({ gateway: opts.gateway, policy: host.policy, audit: host.audit });
  const graphs = createGraphService({
    read,
    grafana: config.grafana,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  const pipeline = createPipeline({
    host,
    gateway: opts.gateway,
    identity,
    graphs,
    ...(opts.agents ? { agents: opts.agents } : {}),
  });
  const approval = (id: string) => {
    const a = host.store.get(id);
    return a ? approvalView(a) : undefined;
  };
  const audit = (type: string, data: Record<string, unknown>) =>
    host.audit.append({
      type,
      actor:
        typeof data.platformUser === 'string'
          ? `${String(data.channel)}:${data.platformUser}`
          : String(data.channel ?? 'channel'),
      data,
    });

  let slack: SlackChannel | undefined;
  let telegram: TelegramChannel | undefined;
  const sinks: NotificationSink[] = [];
  if (config.slack) {
    slack = createSlackChannel({ config: config.slack, pipeline, identity, approval, audit });
    const s = slack;
    sinks.push({ name: 'slack', send: (n) => s.notify(n) });
    host.app.post('/slack/events', async (c) => {
      const body = await readBodyText(c.req.raw, WEBHOOK_MAX_BYTES);
      if (!body.ok) return c.body(null, 413);
      return s.handle(body.text, c.req.raw.headers);
    });
  }
  if (config.telegram) {
    telegram = createTelegramChannel({
      config: config.telegram,
      pipeline,
      identity,
      approval,
      audit,
      ...(opts.telegramBotInfo ? { botInfo: opts.telegramBotInfo } : {}),
    });
    const t = telegram;
    sinks.push({ name: 'telegram', send: (n) => t.notify(n) });
    if (config.telegram.mode === 'webhook')
      host.app.post('/telegram/webhook', async (c) => {
        const body = await readBodyText(c.req.raw, WEBHOOK_MAX_BYTES);
        if (!body.ok) return c.body(null, 413);
        return t.handleWebhook(body.text, c.req.raw.headers);
      });
  }

  // The web console is a channel too: same pipeline, the user is the one its bearer token authenticated.
  host.app.post('/api/console/message', async (c) => {
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      return c.json({ error: { code: 'invalid_argument', message: 'body is not valid JSON' } }, 400);
    }
    const parsed = consoleBody.safeParse(raw);
    if (!parsed.success)
      return c.json(
        { error: { code: 'invalid_argument', message: 'invalid message', details: parsed.error.issues } },
        400,
      );
    const user = c.get('user');
    const conversation = parsed.data.conversation ?? `c_${randomUUID()}`;
    const reply = await pipeline.handle({
      channel: 'web',
      platformUser: user.id,
      user,
      conversation,
      text: parsed.data.text,
    });
    return c.json(replyJson(conversation, reply));
  });

  const hub = createNotificationHub(host.events, sinks, config.notifications);
  // Approval cards follow their approval wherever it was decided (a click, /approve, the web console, expiry).
  const unfollow = host.events.subscribe((e) => {
    if (!e.type.startsWith('approval.') || e.type === 'approval.requested' || !('approval' in e)) return;
    void slack?.refreshCards(e.approval.id);
    void telegram?.refreshCards(e.approval.id);
  });
  const watch = createClusterWatch({ gateway: opts.gateway, events: host.events });

  return {
    identity,
    pipeline,
    graphs,
    slack,
    telegram,
    hub,
    watch,
    /** Which channels are on, for the start-up banner. */
    describe(): string[] {
      const on: string[] = ['web console (/api/console/message)'];
      if (config.slack)
        on.push(
          `Slack (${config.slack.mode === 'http' ? 'HTTP: POST /slack/events' : 'Socket Mode'}${config.slack.notifyChannel ? `, notifications to ${config.slack.notifyChannel}` : ''})`,
        );
      if (config.telegram)
        on.push(
          `Telegram (${config.telegram.mode === 'webhook' ? 'webhook: POST /telegram/webhook' : 'long polling'}${config.telegram.notifyChat ? `, notifications to ${config.telegram.notifyChat}` : ''})`,
        );
      return on;
    },
    /** The terminal (and any local caller) enters the same pipeline as an authenticated host user. */
    say(
      channel: Extract<ChannelName, 'terminal' | 'web'>,
      user: HostUser,
      conversation: string,
      text: string,
    ) {
      return pipeline.handle({ channel, platformUser: user.id, user, conversation, text });
    },
    async start() {
      await slack?.start();
      await telegram?.start();
      watch.start(config.clusterWatchSeconds);
    },
    async close() {
      watch.stop();
      hub.close();
      unfollow();
      await slack?.stop();
      await telegram?.stop();
    },
  };
}

export type Channels = ReturnType<typeof attachChannels>;
