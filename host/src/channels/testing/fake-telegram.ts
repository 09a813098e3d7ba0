import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCallLog } from './call-log.js';

export interface TelegramApiCall {
  method: string;
  token: string;
  /** JSON body, or the text fields of a multipart body. */
  params: Record<string, unknown>;
  /** Raw multipart body (sendPhoto with an uploaded file). */
  raw?: Buffer;
  /** What the fake answered (`result` of the Bot API response). */
  result: unknown;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Text fields of a multipart/form-data body (files are left in `raw`). */
function multipartFields(raw: Buffer, boundary: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const part of raw.toString('latin1').split(`--${boundary}`)) {
    const body = part.replace(/^\r\n/, '');
    const split = body.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = body.slice(0, split);
    const name = /name="([^"]+)"/i.exec(head)?.[1];
    if (!name || /filename=/i.test(head)) continue;
    out[name] = Buffer.from(body.slice(split + 4).replace(/\r\n$/, ''), 'latin1').toString('utf8');
  }
  return out;
}

/**
 * A local Bot API server (https://core.telegram.org/bots/api) for grammY's `client.apiRoot`: records
 * every call and answers `{ ok: true, result }` in the documented shapes.
 */
export async function startFakeTelegram() {
  const log = createCallLog<TelegramApiCall>('Bot API');
  /** Updates served to long polling (getUpdates), in order. */
  const pending: Array<{ update_id: number }> = [];
  let messageId = 100;
  let server: Server | undefined;
  const now = () => Math.floor(Date.now() / 1000);

  /** getUpdates: the queued updates from `offset` on; holds an empty poll for up to 100 ms. */
  async function getUpdates(p: Record<string, unknown>): Promise<unknown> {
    const offset = Number(p.offset ?? 0);
    for (let i = 0; i < 10; i++) {
      const ready = pending.filter((u) => u.update_id >= offset);
      if (ready.length > 0) return ready;
      await new Promise((r) => setTimeout(r, 10));
    }
    return [];
  }

  function result(method: string, p: Record<string, unknown>): unknown {
    const chat = { id: Number(p.chat_id), type: Number(p.chat_id) < 0 ? 'supergroup' : 'private' };
    switch (method) {
      case 'getMe':
        return { id: 7000, is_bot: true, first_name: 'devops-ai', username: 'devops_ai_bot' };
      case 'sendMessage':
        return { message_id: ++messageId, date: now(), chat, text: p.text };
      case 'sendPhoto':
        return {
          message_id: ++messageId,
          date: now(),
          chat,
          photo: [{ file_id: 'AgAD', file_unique_id: 'u', width: 1, height: 1 }],
        };
      case 'editMessageText':
        return { message_id: Number(p.message_id), date: now(), chat, text: p.text };
      default:
        return true;
    }
  }

  server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (!m?.[1] || !m[2]) {
      res.writeHead(404).end();
      return;
    }
    const type = req.headers['content-type'] ?? '';
    const boundary = /boundary=(.+)$/.exec(type)?.[1];
    const params = boundary
      ? multipartFields(raw, boundary)
      : raw.length
        ? (JSON.parse(raw.toString()) as Record<string, unknown>)
        : {};
    const answer = m[2] === 'getUpdates' ? await getUpdates(params) : result(m[2], params);
    log.record({ method: m[2], token: m[1], params, result: answer, ...(boundary ? { raw } : {}) });
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ ok: true, result: answer }));
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;

  return {
    calls: log.calls,
    apiRoot: `http://127.0.0.1:${port}`,
    /** Queues an update for the bot's next getUpdates (long polling). */
    deliver(update: { update_id: number }) {
      pending.push(update);
    },
    of: log.of,
    waitFor: log.waitFor,
    close: () => new Promise<void>((r) => server?.close(() => r())),
  };
}

export type FakeTelegram = Awaited<ReturnType<typeof startFakeTelegram>>;

let updateId = 5000;

/** A Bot API Update with a text message (commands carry a bot_command entity, as Telegram sends them). */
export function textUpdate(from: number, chat: number, text: string) {
  const command = /^\/\w+(@\w+)?/.exec(text)?.[0];
  return {
    update_id: ++updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      from: { id: from, is_bot: false, first_name: `user${from}` },
      chat:
        chat < 0
          ? { id: chat, type: 'supergroup', title: 'ops' }
          : { id: chat, type: 'private', first_name: `user${from}` },
      text,
      ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] } : {}),
    },
  };
}

/** A Bot API Update for an inline keyboard click. */
export function callbackUpdate(from: number, chat: number, messageId: number, data: string) {
  return {
    update_id: ++updateId,
    callback_query: {
      id: `cb${updateId}`,
      from: { id: from, is_bot: false, first_name: `user${from}` },
      chat_instance: '42',
      data,
      message: {
        message_id: messageId,
        date: Math.floor(Date.now() / 1000),
        chat:
          chat < 0
            ? { id: chat, type: 'supergroup', title: 'ops' }
            : { id: chat, type: 'private', first_name: 'x' },
        text: 'Approval needed',
      },
    },
  };
}
