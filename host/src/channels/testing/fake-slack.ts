import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import { createCallLog } from './call-log.js';

export interface SlackApiCall {
  method: string;
  body: Record<string, unknown>;
  /** Raw bytes of a file upload (POST to the upload URL). */
  bytes?: Buffer;
  token: string | null;
  /** What the fake answered. */
  result?: Record<string, unknown>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Form fields that Slack's WebClient sends JSON-encoded (blocks, attachments, files…). */
function decodeFields(form: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(form)) {
    if (typeof v === 'string' && /^[[{]/.test(v)) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        // a plain string that starts with a bracket
      }
    }
    out[k] = v;
  }
  return out;
}

/**
 * A local stand-in for Slack's Web API (https://api.slack.com/methods) that answers in Slack's
 * documented response format, so the real @slack/web-api client code runs against it. It also serves
 * the external upload URL of files.getUploadURLExternal and response_url posts.
 */
export async function startFakeSlack() {
  const log = createCallLog<SlackApiCall>('Slack API');
  let ts = 1_700_000_000;
  let server: Server | undefined;
  const base = () => `http://127.0.0.1:${(server?.address() as AddressInfo | undefined)?.port ?? 0}`;
  let socketUrl: string | undefined;

  function answer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://devops.slack.com/',
          team: 'devops',
          user: 'devops-ai',
          team_id: 'T0TEAM',
          user_id: 'U0BOT',
          bot_id: 'B0BOT',
        };
      case 'chat.postMessage': {
        const t = `${++ts}.000100`;
        return {
          ok: true,
          channel: body.channel,
          ts: t,
          message: { type: 'message', text: body.text, user: 'U0BOT', ts: t, bot_id: 'B0BOT' },
        };
      }
      case 'chat.update':
        return {
          ok: true,
          channel: body.channel,
          ts: body.ts,
          text: body.text,
          message: { text: body.text },
        };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `${++ts}.000200` };
      case 'files.getUploadURLExternal':
        return {
          ok: true,
          upload_url: `${base()}/upload/F0FILE${log.calls.length}`,
          file_id: `F0FILE${log.calls.length}`,
        };
      case 'apps.connections.open':
        return socketUrl ? { ok: true, url: socketUrl } : { ok: false, error: 'invalid_auth' };
      case 'files.completeUploadExternal':
        return {
          ok: true,
          files: ((body.files as Array<{ id: string; title?: string }>) ?? []).map((f) => ({
            id: f.id,
            title: f.title ?? '',
          })),
        };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', base());
    const auth = req.headers.authorization ?? null;
    const token = auth?.replace(/^Bearer\s+/i, '') ?? null;
    if (url.pathname.startsWith('/upload/')) {
      log.record({ method: 'upload', body: { path: url.pathname }, bytes: raw, token });
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${raw.length}`);
    } else if (url.pathname.startsWith('/respond/')) {
      log.record({
        method: 'response_url',
        body: JSON.parse(raw.toString() || '{}') as Record<string, unknown>,
        token,
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    } else {
      const method = url.pathname.replace(/^\/api\//, '');
      const type = req.headers['content-type'] ?? '';
      const body = type.startsWith('application/json')
        ? (JSON.parse(raw.toString() || '{}') as Record<string, unknown>)
        : decodeFields(parseQuery(raw.toString()) as Record<string, unknown>);
      const result = answer(method, body);
      log.record({ method, body, token, result });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    }
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));

  return {
    calls: log.calls,
    apiUrl: `${base()}/api/`,
    responseUrl: (id: string) => `${base()}/respond/${id}`,
    /** The WebSocket URL apps.connections.open hands out (Socket Mode). */
    setSocketUrl(url: string) {
      socketUrl = url;
    },
    of: log.of,
    waitFor: log.waitFor,
    close: () => new Promise<void>((r) => server?.close(() => r())),
  };
}

export type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;

/** Headers Slack sends: v0 HMAC-SHA256 of `v0:<timestamp>:<body>` with the signing secret. */
export function signSlack(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const sig = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${sig}` };
}

/** A form-encoded interactivity payload (what Slack posts for a button click). */
export function blockActionBody(opts: {
  user: string;
  approvalId: string;
  action: 'approval_approve' | 'approval_reject';
  channel: string;
  messageTs: string;
  responseUrl: string;
}): string {
  const payload = {
    type: 'block_actions',
    team: { id: 'T0TEAM', domain: 'devops' },
    user: { id: opts.user, username: opts.user.toLowerCase(), team_id: 'T0TEAM' },
    api_app_id: 'A0APP',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: opts.messageTs, channel_id: opts.channel, is_ephemeral: false },
    trigger_id: '1.2.3',
    channel: { id: opts.channel, name: 'ops' },
    message: { type: 'message', ts: opts.messageTs, text: 'Approval needed', user: 'U0BOT', bot_id: 'B0BOT' },
    response_url: opts.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: opts.action,
        block_id: `approval:${opts.approvalId}`,
        text: { type: 'plain_text', text: opts.action === 'approval_approve' ? 'Approve' : 'Reject' },
        value: opts.approvalId,
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
