import { App, LogLevel, SocketModeReceiver } from '@slack/bolt';
import type { ApprovalView } from '../../approval-service.js';
import { createCardTracker } from '../cards.js';
import type { SlackConfig } from '../config.js';
import type { IdentityMap } from '../identity.js';
import type { Pipeline } from '../pipeline.js';
import type { Notification } from '../render.js';
import { truncate } from '../render.js';
import type { InboundMessage, Reply } from '../types.js';
import { createWorkQueue } from '../work-queue.js';
import {
  APPROVE_ACTION,
  approvalBlocks,
  approvalFallbackText,
  REJECT_ACTION,
  slackEscape,
  slackText,
} from './blocks.js';
import { HonoSlackReceiver, type RefusedRequest } from './receiver.js';

export interface SlackChannelDeps {
  config: SlackConfig;
  pipeline: Pipeline;
  identity: IdentityMap;
  /** Current state of an approval (message updates always render the latest). */
  approval: (id: string) => ApprovalView | undefined;
  audit: (type: string, data: Record<string, unknown>) => void;
  now?: () => number;
}

interface MessageRef {
  channel: string;
  ts: string;
}

/**
 * Slack as a thin adapter: Bolt turns signed requests (or Socket Mode frames) into events; this file
 * turns those into InboundMessages for the pipeline and renders its Replies as thread replies,
 * Block Kit approval cards and file uploads.
 */
export function createSlackChannel(deps: SlackChannelDeps) {
  const { config } = deps;
  // Everything after the ack runs here, a few at a time, so acks of a burst of clicks stay fast.
  const work = createWorkQueue({
    concurrency: 4,
    busy: () => receiver?.busy() ?? false,
    onError: (err) => process.stderr.write(`slack: ${err instanceof Error ? err.message : String(err)}\n`),
  });
  const receiver: HonoSlackReceiver | undefined =
    config.mode === 'http'
      ? new HonoSlackReceiver({
          signingSecret: config.signingSecret as string,
          onRefused: (r: RefusedRequest) => deps.audit('channel.refused', { channel: 'slack', ...r }),
          onError: (err) => process.stderr.write(`slack: event failed: ${String(err)}\n`),
          ...(deps.now ? { now: deps.now } : {}),
          dispatch: (run) => work.push(run),
        })
      : undefined;
  // Socket Mode: Bolt's own receiver, its WebClient (apps.connections.open) on the same API URL.
  const socket = receiver
    ? undefined
    : new SocketModeReceiver({
        appToken: config.appToken as string,
        logLevel: LogLevel.ERROR,
        ...(config.apiUrl ? { installerOptions: { clientOptions: { slackApiUrl: config.apiUrl } } } : {}),
      });
  const app = new App({
    token: config.botToken,
    receiver: receiver ?? (socket as SocketModeReceiver),
    logLevel: LogLevel.ERROR,
    // Conversation state lives in the host (one thread per conversation), not in Bolt's memory store.
    convoStore: false,
    ...(config.apiUrl ? { clientOptions: { slackApiUrl: config.apiUrl } } : {}),
  });
  const client = app.client;

  /** Approval id → the Slack messages showing it; updated whenever its status changes. */
  const cards = createCardTracker<MessageRef>({
    approval: deps.approval,
    same: (x, y) => x.channel === y.channel && x.ts === y.ts,
    update: (ref, a) =>
      client.chat.update({
        channel: ref.channel,
        ts: ref.ts,
        text: approvalFallbackText(a),
        blocks: approvalBlocks(a),
      }),
    label: 'slack: chat.update',
  });
  const refreshCards = cards.refresh;

  async function postCard(channel: string, a: ApprovalView, threadTs?: string) {
    const r = await client.chat.postMessage({
      channel,
      text: approvalFallbackText(a),
      blocks: approvalBlocks(a),
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    if (r.ts) cards.track(a.id, { channel, ts: r.ts }, a.status);
  }

  /** Renders a Reply in a channel (and thread). */
  async function render(reply: Reply, channel: string, threadTs: string | undefined) {
    if (reply.silent) return;
    const thread = threadTs ? { thread_ts: threadTs } : {};
    if (reply.image) {
      await client.filesUploadV2({
        channel_id: channel,
        ...thread,
        file: Buffer.from(reply.image.png),
        filename: reply.image.filename,
        title: reply.image.title,
        alt_text: truncate(reply.image.caption, 1000),
        initial_comment: truncate(slackEscape(reply.text), 3000),
      } as Parameters<typeof client.filesUploadV2>[0]);
    } else if (reply.text) {
      await client.chat.postMessage({ channel, text: truncate(slackText(reply.text), 39_000), ...thread });
    }
    for (const a of reply.approvals) {
      if (a.status === 'pending') await postCard(channel, a, threadTs);
    }
  }

  const inbound = (platformUser: string, conversation: string, text: string): InboundMessage => ({
    channel: 'slack',
    platformUser,
    user: deps.identity.resolve('slack', platformUser),
    conversation,
    text,
  });

  // Mentions in channels: the thread is the conversation; the reply goes in the thread.
  app.event('app_mention', async ({ event }) => {
    if (!event.user) return;
    const thread = event.thread_ts ?? event.ts;
    const text = event.text.replace(/<@[A-Z0-9]+>/g, '').trim();
    const user = event.user;
    work.push(async () => {
      const reply = await deps.pipeline.handle(inbound(user, `${event.channel}:${thread}`, text));
      await render(reply, event.channel, thread);
    });
  });

  // Direct messages (a user's own messages only; not bots, edits or joins).
  app.message(async ({ message }) => {
    if (message.channel_type !== 'im' || message.subtype !== undefined) return;
    if (!('user' in message) || !message.user || !('text' in message) || !message.text) return;
    if ('bot_id' in message && message.bot_id) return;
    const thread = ('thread_ts' in message && message.thread_ts) || undefined;
    const msg = inbound(message.user, `${message.channel}:${thread ?? 'dm'}`, message.text);
    work.push(async () => render(await deps.pipeline.handle(msg), message.channel, thread));
  });

  // Slash commands: `/devops <command …>` and any of the seed's commands registered in the manifest.
  app.command(/^\/[a-z_-]+$/, async ({ command, ack, respond }) => {
    await ack();
    const name = command.command.replace(/^\//, '');
    const text = name === 'devops' ? `/devops ${command.text}` : `/${name} ${command.text}`;
    work.push(async () => {
      const reply = await deps.pipeline.handle(
        inbound(command.user_id, `${command.channel_id}:cmd:${command.user_id}`, text.trim()),
      );
      if (reply.silent) return;
      try {
        await client.chat.postMessage({
          channel: command.channel_id,
          text: truncate(slackEscape(`<@${command.user_id}> ${text.trim()}`), 3000),
        });
        await render(reply, command.channel_id, undefined);
      } catch {
        // The bot is not in that channel: answer the user through the command's response_url.
        await respond({ response_type: 'ephemeral', text: truncate(slackEscape(reply.text), 39_000) });
      }
    });
  });

  // Approve / Reject buttons: ack at once, then decide as the verified clicker's mapped user.
  app.action(new RegExp(`^(${APPROVE_ACTION}|${REJECT_ACTION})$`), async ({ ack, body, action }) => {
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button') return;
    const approvalId = action.value ?? '';
    const channel = body.container?.channel_id ?? body.channel?.id;
    const ts = body.container?.message_ts ?? body.message?.ts;
    if (channel && ts && /^apr_[0-9a-f]{16}$/.test(approvalId))
      cards.track(approvalId, { channel, ts }, 'pending');
    const msg: InboundMessage = {
      channel: 'slack',
      platformUser: body.user.id,
      user: deps.identity.resolve('slack', body.user.id),
      conversation: `${channel ?? 'unknown'}:${body.message?.thread_ts ?? ts ?? ''}`,
      action: {
        kind: 'action_id' in action && action.action_id === APPROVE_ACTION ? 'approve' : 'reject',
        approvalId,
      },
    };
    const clicker = body.user.id;
    work.push(async () => {
      const reply = await deps.pipeline.handle(msg);
      if (reply.decision?.ok || reply.decision?.approval) await refreshCards(approvalId);
      if (reply.refused && !reply.silent && channel) {
        await client.chat.postEphemeral({ channel, user: clicker, text: slackEscape(reply.text) });
      }
    });
  });

  app.error(async (err) => {
    process.stderr.write(`slack: ${err.message}\n`);
  });

  return {
    app,
    receiver,
    /** Handles one HTTP request from Slack (events, interactivity and commands share the URL). */
    handle: (rawBody: string, headers: Headers) =>
      receiver ? receiver.handle(rawBody, headers) : Promise.resolve(new Response('', { status: 404 })),
    refreshCards,
    /** Resolves when the work after every ack so far is done. */
    idle: () => work.idle(),
    async notify(n: Notification) {
      if (!config.notifyChannel) return;
      if (n.approval && n.type === 'approval.requested') {
        await postCard(config.notifyChannel, n.approval);
        return;
      }
      await client.chat.postMessage({ channel: config.notifyChannel, text: slackEscape(n.text) });
    },
    async start() {
      if (config.mode === 'socket') await app.start();
    },
    async stop() {
      await app.stop().catch(() => undefined);
    },
  };
}

export type SlackChannel = ReturnType<typeof createSlackChannel>;
