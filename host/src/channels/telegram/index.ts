import { secretsEqual } from '@devops-ai/core';
import { Bot, type Context, InlineKeyboard, InputFile } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { ApprovalView } from '../../approval-service.js';
import { createCardTracker } from '../cards.js';
import { COMMANDS } from '../commands.js';
import type { TelegramConfig } from '../config.js';
import type { IdentityMap } from '../identity.js';
import { outcomeLine, type Pipeline } from '../pipeline.js';
import { approvalFacts, argsJson, type Notification, truncate } from '../render.js';
import type { InboundMessage, Reply } from '../types.js';
import { createWorkQueue } from '../work-queue.js';
import { bold, codeBlock, escapeMarkdownV2, richText } from './markdown.js';

export interface TelegramChannelDeps {
  config: TelegramConfig;
  pipeline: Pipeline;
  identity: IdentityMap;
  approval: (id: string) => ApprovalView | undefined;
  audit: (type: string, data: Record<string, unknown>) => void;
  /** Skips getMe (tests, or a known bot). */
  botInfo?: UserFromGetMe;
}

const MAX_MESSAGE = 4096;

/** Callback data carries only the action and the approval id: `ap:apr_…` or `rj:apr_…` (≤ 64 bytes). */
export function callbackData(action: 'approve' | 'reject', id: string): string {
  return `${action === 'approve' ? 'ap' : 'rj'}:${id}`;
}
function parseCallback(data: string): { kind: 'approve' | 'reject'; approvalId: string } | null {
  const m = /^(ap|rj):(apr_[0-9a-f]{16})$/.exec(data);
  return m?.[1] && m[2] ? { kind: m[1] === 'ap' ? 'approve' : 'reject', approvalId: m[2] } : null;
}

/** An approval as a MarkdownV2 message. */
export function approvalMessage(a: ApprovalView): string {
  const lines = [
    bold(a.status === 'pending' ? `Approval needed: ${a.tool}` : `Approval: ${a.tool}`),
    ...approvalFacts(a).map(([k, v]) => `${escapeMarkdownV2(k)}: ${escapeMarkdownV2(v)}`),
    codeBlock(argsJson(a, 2500)),
  ];
  if (a.status !== 'pending') lines.push(bold(outcomeLine(a)));
  lines.push(escapeMarkdownV2(`approval ${a.id} · ${a.status}`));
  return lines.join('\n');
}

function keyboard(a: ApprovalView): InlineKeyboard | undefined {
  if (a.status !== 'pending') return undefined;
  return new InlineKeyboard()
    .text('✅ Approve', callbackData('approve', a.id))
    .text('❌ Reject', callbackData('reject', a.id));
}

interface CardRef {
  chatId: number;
  messageId: number;
}

/** Telegram as a thin adapter over grammY: updates in, the pipeline decides, Bot API calls out. */
export function createTelegramChannel(deps: TelegramChannelDeps) {
  const { config } = deps;
  const bot = new Bot(config.botToken, {
    ...(deps.botInfo ? { botInfo: deps.botInfo } : {}),
    ...(config.apiRoot ? { client: { apiRoot: config.apiRoot } } : {}),
  });
  const allowedChats = new Set(config.allowedChats);
  const allowedUsers = new Set([...config.allowedUsers, ...deps.identity.mapped('telegram')]);
  // Long polling hands updates over one at a time: the work runs here so one slow turn does not hold
  // back the next update (and a webhook's 200 goes out at once).
  const work = createWorkQueue({
    concurrency: 4,
    onError: (err) => process.stderr.write(`telegram: ${err instanceof Error ? err.message : String(err)}\n`),
  });

  /** Approval id → the Telegram messages showing it; edited whenever its status changes. */
  const cards = createCardTracker<CardRef>({
    approval: deps.approval,
    same: (x, y) => x.chatId === y.chatId && x.messageId === y.messageId,
    update: (ref, a) => {
      const kb = keyboard(a);
      return bot.api.editMessageText(ref.chatId, ref.messageId, approvalMessage(a), {
        parse_mode: 'MarkdownV2',
        ...(kb ? { reply_markup: kb } : {}),
      });
    },
    label: 'telegram: editMessageText',
  });
  const refreshCards = cards.refresh;

  async function postCard(chatId: number, a: ApprovalView, threadId?: number) {
    const kb = keyboard(a);
    const m = await bot.api.sendMessage(chatId, approvalMessage(a), {
      parse_mode: 'MarkdownV2',
      ...(kb ? { reply_markup: kb } : {}),
      ...(threadId ? { message_thread_id: threadId } : {}),
    });
    cards.track(a.id, { chatId, messageId: m.message_id }, a.status);
  }

  async function render(reply: Reply, chatId: number, threadId: number | undefined) {
    if (reply.silent) return;
    const thread = threadId ? { message_thread_id: threadId } : {};
    if (reply.image) {
      await bot.api.sendPhoto(chatId, new InputFile(Buffer.from(reply.image.png), reply.image.filename), {
        caption: escapeMarkdownV2(truncate(reply.image.caption, 900)),
        parse_mode: 'MarkdownV2',
        ...thread,
      });
    } else if (reply.text) {
      await bot.api.sendMessage(chatId, richText(truncate(reply.text, 3800)), {
        parse_mode: 'MarkdownV2',
        ...thread,
      });
    }
    for (const a of reply.approvals) if (a.status === 'pending') await postCard(chatId, a, threadId);
  }

  // The allow-list comes first: updates from other chats and users stop here (audited).
  bot.use(async (ctx, next) => {
    const user = ctx.from?.id;
    const chat = ctx.chat?.id;
    const ok =
      (user !== undefined && allowedUsers.has(String(user))) ||
      (chat !== undefined && allowedChats.has(String(chat)));
    if (ok) return next();
    deps.audit('channel.refused', {
      channel: 'telegram',
      code: 'not_allowed',
      platformUser: user === undefined ? null : String(user),
      chat: chat === undefined ? null : String(chat),
      message: 'chat and user are not on the allow-list',
    });
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  });

  const conversationOf = (ctx: Context) =>
    `${ctx.chat?.id ?? 'none'}${ctx.msg?.message_thread_id ? `:${ctx.msg.message_thread_id}` : ''}`;

  bot.on('message:text', (ctx) => {
    const from = String(ctx.from.id);
    // "@devops_ai_bot scale cart to 3" in a group: the mention is not part of the request.
    const mention = ctx.me.username ? new RegExp(`^@${ctx.me.username}\\b\\s*`, 'i') : null;
    const msg: InboundMessage = {
      channel: 'telegram',
      platformUser: from,
      user: deps.identity.resolve('telegram', from),
      conversation: conversationOf(ctx),
      text: mention ? ctx.msg.text.replace(mention, '') : ctx.msg.text,
    };
    const chatId = ctx.chat.id;
    const thread = ctx.msg.message_thread_id;
    work.push(async () => render(await deps.pipeline.handle(msg), chatId, thread));
  });

  bot.on('callback_query:data', async (ctx) => {
    const from = String(ctx.from.id);
    const parsed = parseCallback(ctx.callbackQuery.data);
    if (!parsed) {
      deps.audit('channel.refused', {
        channel: 'telegram',
        code: 'invalid_argument',
        platformUser: from,
        message: 'callback data is not an approval action',
      });
      await ctx.answerCallbackQuery({ text: 'Unknown button.' });
      return;
    }
    const m = ctx.callbackQuery.message;
    if (m) cards.track(parsed.approvalId, { chatId: m.chat.id, messageId: m.message_id }, 'pending');
    let reply: Reply;
    try {
      reply = await deps.pipeline.handle({
        channel: 'telegram',
        platformUser: from,
        user: deps.identity.resolve('telegram', from),
        conversation: conversationOf(ctx),
        action: parsed,
      });
    } catch (err) {
      await ctx.answerCallbackQuery({ text: 'The decision failed; see the host log.', show_alert: true });
      throw err;
    }
    // answerCallbackQuery always, with the outcome; plain text (no parse mode) up to 200 characters.
    await ctx.answerCallbackQuery(
      reply.silent
        ? {}
        : { text: truncate(reply.text.split('\n')[0] ?? '', 200), show_alert: Boolean(reply.refused) },
    );
    if (reply.decision?.approval) await refreshCards(parsed.approvalId);
  });

  bot.catch((err) => {
    process.stderr.write(`telegram: update ${err.ctx.update.update_id} failed: ${String(err.error)}\n`);
  });

  let polling = false;
  return {
    bot,
    refreshCards,
    /** The webhook handler: refuses (401, audited) without the right X-Telegram-Bot-Api-Secret-Token. */
    /** One webhook call: its raw body and headers (the secret token is checked before the body is parsed). */
    async handleWebhook(rawBody: string, headers: Headers): Promise<Response> {
      const secret = headers.get('x-telegram-bot-api-secret-token') ?? '';
      if (!config.webhookSecret || !secretsEqual(secret, config.webhookSecret)) {
        deps.audit('channel.refused', {
          channel: 'telegram',
          code: 'bad_secret_token',
          message: secret ? 'wrong webhook secret token' : 'missing webhook secret token',
        });
        return new Response('', { status: 401 });
      }
      let update: unknown;
      try {
        update = JSON.parse(rawBody);
      } catch {
        return new Response('', { status: 400 });
      }
      if (
        !update ||
        typeof update !== 'object' ||
        typeof (update as { update_id?: unknown }).update_id !== 'number'
      )
        return new Response('', { status: 400 });
      await bot.init();
      // Telegram only needs a 2xx; the work goes on after it (a slow tool must not cause re-delivery).
      bot.handleUpdate(update as Parameters<Bot['handleUpdate']>[0]).catch((err: unknown) => {
        process.stderr.write(`telegram: update failed: ${String(err)}\n`);
      });
      return new Response('', { status: 200 });
    },
    idle: () => work.idle(),
    async notify(n: Notification) {
      if (!config.notifyChat) return;
      const chatId = Number(config.notifyChat);
      if (n.approval && n.type === 'approval.requested') {
        await postCard(chatId, n.approval);
        return;
      }
      await bot.api.sendMessage(chatId, escapeMarkdownV2(truncate(n.text, MAX_MESSAGE - 200)), {
        parse_mode: 'MarkdownV2',
      });
    },
    /** Registers the commands; starts long polling, or registers the webhook URL when one is set. */
    async start() {
      await bot.init();
      await bot.api.setMyCommands(
        COMMANDS.map((c) => ({
          command: c.name,
          description: truncate(`${c.usage.slice(c.name.length + 2)} ${c.help}`.trim(), 256),
        })),
      );
      if (config.mode === 'webhook') {
        if (config.webhookUrl)
          await bot.api.setWebhook(config.webhookUrl, {
            secret_token: config.webhookSecret as string,
            allowed_updates: ['message', 'callback_query'],
          });
        return;
      }
      polling = true;
      void bot.start({ allowed_updates: ['message', 'callback_query'] }).catch((err: unknown) => {
        process.stderr.write(`telegram: long polling stopped: ${String(err)}\n`);
      });
    },
    async stop() {
      if (polling) await bot.stop();
    },
  };
}

export type TelegramChannel = ReturnType<typeof createTelegramChannel>;
