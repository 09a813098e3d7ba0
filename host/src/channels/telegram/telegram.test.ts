import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachChannels, type Channels, channelsConfigSchema } from '../index.js';
import {
  callbackUpdate,
  type FakeTelegram,
  startFakeTelegram,
  textUpdate,
} from '../testing/fake-telegram.js';
import { type Harness, startHarness } from '../testing/harness.js';
import { codeBlock, escapeMarkdownV2, richText } from './markdown.js';

const SECRET = 'telegram-webhook-secret-0123';
const GROUP = -100500;
const ALICE = 1001;
const BOB = 1002;

describe('Telegram channel (grammY, real Update JSON, local Bot API)', () => {
  let h: Harness;
  let tg: FakeTelegram;
  let channels: Channels;

  beforeAll(async () => {
    h = await startHarness({ approvalTtlMs: 10 * 60_000 });
    tg = await startFakeTelegram();
    const config = channelsConfigSchema.parse({
      telegram: {
        botToken: '123456:TEST-token-abcdefghijklmnop',
        mode: 'webhook',
        webhookSecret: SECRET,
        allowedChats: String(GROUP),
        notifyChat: String(GROUP),
        apiRoot: tg.apiRoot,
      },
      identities: { [`telegram:${ALICE}`]: 'alice', [`telegram:${BOB}`]: 'bob', 'telegram:1003': 'carol' },
      clusterWatchSeconds: 0,
    });
    channels = attachChannels(h.host, config, {
      gateway: h.gateway,
      telegramBotInfo: {
        id: 7000,
        is_bot: true,
        first_name: 'devops-ai',
        username: 'devops_ai_bot',
        can_join_groups: true,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
        can_connect_to_business: false,
        has_main_web_app: false,
        has_topics_enabled: false,
        allows_users_to_create_topics: false,
        can_manage_bots: false,
      } as never,
    });
    await channels.start();
  });
  afterAll(async () => {
    await channels.close();
    await tg.close();
    await h.close();
  });

  const bot = () => channels.telegram?.bot as NonNullable<Channels['telegram']>['bot'];

  /** Asks for a change; returns the card posted in reply (notification cards of earlier requests may arrive late). */
  async function requestChange(text: string, service: string) {
    const before = tg.calls.length;
    await bot().handleUpdate(textUpdate(ALICE, GROUP, text) as never);
    const card = await tg.waitFor(
      (c) =>
        c.method === 'sendMessage' &&
        Boolean(c.params.reply_markup) &&
        tg.calls.indexOf(c) >= before &&
        String(c.params.text).includes(`"name": "${service}"`), // inside the code block: not escaped
    );
    const kb = (
      card.params.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }
    ).inline_keyboard;
    const data = kb[0]?.[0]?.callback_data ?? '';
    const messageId = (card.result as { message_id: number }).message_id;
    return { card, kb, approvalId: data.slice(3), messageId };
  }

  it('registers its commands with setMyCommands', () => {
    const cmds = tg.of('setMyCommands')[0]?.params.commands as Array<{
      command: string;
      description: string;
    }>;
    expect(cmds.map((c) => c.command)).toEqual(
      expect.arrayContaining([
        'status',
        'scale',
        'restart',
        'logs',
        'alerts',
        'approve',
        'reject',
        'graph',
        'audit',
        'agent',
        'help',
      ]),
    );
  });

  it('a command becomes an approval with an inline keyboard; the mapped approver’s click executes it once and edits the message', async () => {
    const { card, kb, approvalId, messageId } = await requestChange(
      '/scale@devops_ai_bot checkout-api 4',
      'checkout-api',
    );
    expect(card.params.parse_mode).toBe('MarkdownV2');
    expect(String(card.params.text)).toContain('k8s\\_scale\\_deployment');
    expect(kb[0]?.map((b) => b.callback_data)).toEqual([`ap:${approvalId}`, `rj:${approvalId}`]);
    for (const b of kb[0] ?? []) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
    expect(h.host.store.get(approvalId)?.status).toBe('pending');

    await bot().handleUpdate(callbackUpdate(BOB, GROUP, messageId, `ap:${approvalId}`) as never);
    const answer = await tg.waitFor(
      (c) => c.method === 'answerCallbackQuery' && String(c.params.text).includes('executed'),
    );
    expect(answer.params.show_alert).toBe(false);
    const edit = await tg.waitFor(
      (c) =>
        c.method === 'editMessageText' &&
        c.params.message_id === messageId &&
        String(c.params.text).includes('executed'),
    );
    expect(String(edit.params.text)).toContain('Approved by bob and executed');
    expect(edit.params.reply_markup).toBeUndefined();
    expect(h.replicas('prod', 'checkout-api')).toBe(4);
    expect(h.host.store.get(approvalId)?.status).toBe('executed');
    expect(
      h.host.audit
        .list({ limit: 1000 })
        .filter((e) => e.type === 'tool.executed' && e.subject === approvalId),
    ).toHaveLength(1);
  });

  it('refuses and audits a non-approver’s click, and always answers the callback query', async () => {
    const { approvalId, messageId } = await requestChange('restart cart in prod', 'cart');
    const answers = tg.of('answerCallbackQuery').length;
    await bot().handleUpdate(callbackUpdate(ALICE, GROUP, messageId, `ap:${approvalId}`) as never);
    await tg.waitFor(
      (c) => c.method === 'answerCallbackQuery' && tg.of('answerCallbackQuery').indexOf(c) >= answers,
    );
    const answer = tg.of('answerCallbackQuery')[answers];
    expect(answer?.params.show_alert).toBe(true);
    expect(String(answer?.params.text)).toMatch(/^Refused/);
    expect(h.host.store.get(approvalId)?.status).toBe('pending');
    expect(
      h.host.audit
        .list({ limit: 1000 })
        .find((e) => e.type === 'approval.refused' && e.subject === approvalId)?.actor,
    ).toBe('alice');
  });

  it('refuses and audits a click on an expired approval', async () => {
    const { approvalId, messageId } = await requestChange('restart search in prod', 'search');
    h.advanceClock(11 * 60_000);
    await bot().handleUpdate(callbackUpdate(BOB, GROUP, messageId, `ap:${approvalId}`) as never);
    await tg.waitFor((c) => c.method === 'answerCallbackQuery' && String(c.params.text).includes('expired'));
    expect(h.host.store.get(approvalId)?.status).toBe('expired');
    expect(
      h.host.audit
        .list({ limit: 1000 })
        .find((e) => e.type === 'approval.refused' && e.subject === approvalId)?.data,
    ).toMatchObject({ code: 'approval_expired' });
    await tg.waitFor(
      (c) =>
        c.method === 'editMessageText' &&
        c.params.message_id === messageId &&
        String(c.params.text).includes('Expired'),
    );
  });

  it('ignores (and audits) chats and users outside the allow-list, still answering their button clicks', async () => {
    const sent = tg.calls.length;
    await bot().handleUpdate(textUpdate(9999, 9999, '/status') as never);
    await bot().handleUpdate(callbackUpdate(9999, 9999, 1, 'ap:apr_0000000000000000') as never);
    await tg.waitFor((c) => c.method === 'answerCallbackQuery' && tg.calls.indexOf(c) >= sent);
    const toOutsider = tg.calls.slice(sent).filter((c) => c.params.chat_id === 9999);
    expect(toOutsider).toEqual([]);
    const refused = h.host.audit
      .list({ limit: 1000 })
      .filter((e) => e.type === 'channel.refused' && e.data.code === 'not_allowed');
    expect(refused.length).toBeGreaterThanOrEqual(2);
  });

  it('answers the webhook with 401 without the right secret token (audited), 200 with it', async () => {
    const body = JSON.stringify(textUpdate(BOB, GROUP, '/help'));
    const none = await h.host.app.request('/telegram/webhook', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(none.status).toBe(401);
    const wrong = await h.host.app.request('/telegram/webhook', {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-telegram-bot-api-secret-token': 'wrong-secret-wrong-secret',
      },
    });
    expect(wrong.status).toBe(401);
    const before = tg.of('sendMessage').length;
    const ok = await h.host.app.request('/telegram/webhook', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    });
    expect(ok.status).toBe(200);
    await tg.waitFor(
      (c) =>
        c.method === 'sendMessage' &&
        tg.of('sendMessage').indexOf(c) >= before &&
        String(c.params.text).includes('/graph'),
    );
    const codes = h.host.audit.list({ limit: 1000 }).filter((e) => e.data.code === 'bad_secret_token');
    expect(codes).toHaveLength(2);
  });

  it('sends /graph as a photo', async () => {
    await bot().handleUpdate(textUpdate(BOB, GROUP, '/graph checkout-api latency 2h') as never);
    const photo = await tg.waitFor((c) => c.method === 'sendPhoto', 15_000);
    expect(photo.raw?.indexOf(Buffer.from([0x89, 0x50, 0x4e, 0x47]))).toBeGreaterThan(0);
    expect(String(photo.params.caption)).toContain('Latency p95');
  });
});

describe('MarkdownV2 escaping', () => {
  const SPECIAL = '_*[]()~`>#+-=|{}.!\\';
  /** Telegram's reading of an escaped text: a backslash makes the next character literal. */
  function readEscaped(s: string): { text: string; bare: string[] } {
    let text = '';
    const bare: string[] = [];
    for (let i = 0; i < s.length; i++) {
      const c = s[i] as string;
      if (c === '\\') {
        text += s[++i] ?? '';
      } else {
        if (SPECIAL.includes(c)) bare.push(c);
        text += c;
      }
    }
    return { text, bare };
  }

  it('leaves no special character unescaped and reads back to the original text', () => {
    const samples = [
      'checkout-api_v2 (prod) scaled 2 -> 4!',
      'ERROR [db] pool=exhausted {"p95": 1.5} `select *` #42 | ~x~ >quote \\path',
      'apr_7cf4aa91c70154df · digest 2d07348fd777.',
      SPECIAL,
    ];
    for (const s of samples) {
      const r = readEscaped(escapeMarkdownV2(s));
      expect(r.bare).toEqual([]);
      expect(r.text).toBe(s);
    }
  });

  it('keeps the copilot’s **bold** as MarkdownV2 bold and escapes the rest', () => {
    expect(richText('**Cluster**: 3 nodes (3 ready), ~$0.29/h')).toBe(
      '*Cluster*: 3 nodes \\(3 ready\\), \\~$0\\.29/h',
    );
    expect(readEscaped(richText('a ** b')).bare).toEqual([]); // a lone ** is text
    expect(richText('Recent logs (prod):\n```\nGET /a_b 200 1.5ms\n```\nend.')).toBe(
      'Recent logs \\(prod\\):\n```\nGET /a_b 200 1.5ms\n```\nend\\.',
    );
  });

  it('escapes only ` and \\ inside code blocks', () => {
    expect(codeBlock('a_b `c` \\d')).toBe('```\na_b \\`c\\` \\\\d\n```');
  });
});

describe('Telegram long polling (the default mode)', () => {
  it('receives updates with getUpdates and answers through the same pipeline', async () => {
    const h = await startHarness();
    const tg = await startFakeTelegram();
    const channels = attachChannels(
      h.host,
      channelsConfigSchema.parse({
        telegram: { botToken: '123456:TEST-token-abcdefghijklmnop', apiRoot: tg.apiRoot },
        identities: { 'telegram:1002': 'bob' },
        clusterWatchSeconds: 0,
      }),
      { gateway: h.gateway },
    );
    try {
      await channels.start();
      expect(tg.of('getMe')).toHaveLength(1);
      expect(tg.of('setMyCommands')).toHaveLength(1);
      tg.deliver(textUpdate(1002, 1002, '/agent status'));
      const answer = await tg.waitFor((c) => c.method === 'sendMessage' && c.params.chat_id === 1002);
      expect(String(answer.params.text)).toContain('No agents are connected');
      const res = await h.host.app.request('/telegram/webhook', { method: 'POST', body: '{}' });
      expect(res.status).toBe(404);
    } finally {
      await channels.close();
      await tg.close();
      await h.close();
    }
  });
});
