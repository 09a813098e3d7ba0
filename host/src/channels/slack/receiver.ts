import { parse as parseQuery } from 'node:querystring';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { verifySlackRequest } from '@slack/bolt';

export interface RefusedRequest {
  code: 'bad_signature' | 'stale_request' | 'replayed' | 'invalid_body';
  message: string;
}

/**
 * A Bolt receiver for a request the host's own HTTP server (Hono) received: signature and timestamp
 * are verified by Bolt's `verifySlackRequest` (HMAC-SHA256 over v0:timestamp:body, at most 5 minutes
 * old), a signature seen before is refused as a replay, and the HTTP response goes out as soon as the
 * listener calls `ack()`; the work continues after it (Slack's 3-second limit).
 */
export class HonoSlackReceiver implements Receiver {
  private app: App | undefined;
  private readonly seen = new Map<string, number>();
  private readonly events = new Map<string, number>();
  private inflight = 0;
  private lastArrival = 0;

  /** True while requests are being received or were in the last few milliseconds (a burst). */
  busy(): boolean {
    return this.inflight > 0 || performance.now() - this.lastArrival < 10;
  }

  constructor(
    private readonly opts: {
      signingSecret: string;
      onRefused: (r: RefusedRequest) => void;
      onError: (err: unknown) => void;
      now?: () => number;
      ackTimeoutMs?: number;
    },
  ) {}

  init(app: App): void {
    this.app = app;
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  private refuse(code: RefusedRequest['code'], message: string): Response {
    this.opts.onRefused({ code, message });
    return new Response('', { status: 401 });
  }

  async handle(req: Request): Promise<Response> {
    this.inflight++;
    this.lastArrival = performance.now();
    try {
      return await this.receive(req);
    } finally {
      this.inflight--;
      this.lastArrival = performance.now();
    }
  }

  private async receive(req: Request): Promise<Response> {
    const rawBody = await req.text();
    const signature = req.headers.get('x-slack-signature') ?? '';
    const ts = Number(req.headers.get('x-slack-request-timestamp') ?? Number.NaN);
    const nowMs = this.opts.now?.() ?? Date.now();
    try {
      verifySlackRequest({
        signingSecret: this.opts.signingSecret,
        body: rawBody,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': ts },
        nowMilliseconds: nowMs,
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return this.refuse(/stale/.test(message) ? 'stale_request' : 'bad_signature', message);
    }
    // A valid signature is valid for 5 minutes; within them, the same request twice is a replay.
    for (const [sig, at] of this.seen) if (at < nowMs - 6 * 60_000) this.seen.delete(sig);
    if (this.seen.has(signature))
      return this.refuse('replayed', 'this exact signed request was already received');
    this.seen.set(signature, nowMs);

    let body: Record<string, unknown>;
    try {
      const type = req.headers.get('content-type') ?? '';
      if (type.startsWith('application/x-www-form-urlencoded')) {
        const form = parseQuery(rawBody);
        body =
          typeof form.payload === 'string'
            ? (JSON.parse(form.payload) as Record<string, unknown>)
            : (form as Record<string, unknown>);
      } else body = JSON.parse(rawBody) as Record<string, unknown>;
    } catch {
      return this.refuse('invalid_body', 'body is neither JSON nor a form with a JSON payload');
    }
    if (body.ssl_check) return new Response('', { status: 200 });
    // Slack retries an event it thinks was not acked, with the same event_id: answer, do not run it twice.
    if (typeof body.event_id === 'string') {
      for (const [id, at] of this.events) if (at < nowMs - 60 * 60_000) this.events.delete(id);
      if (this.events.has(body.event_id)) return new Response('', { status: 200 });
      this.events.set(body.event_id, nowMs);
    }
    if (body.type === 'url_verification') return Response.json({ challenge: body.challenge });

    const app = this.app;
    if (!app) return new Response('', { status: 503 });
    let acked = false;
    let resolveAck: (r: Response) => void = () => {};
    const response = new Promise<Response>((r) => {
      resolveAck = r;
    });
    const retryNum = req.headers.get('x-slack-retry-num');
    const retryReason = req.headers.get('x-slack-retry-reason');
    const event: ReceiverEvent = {
      body,
      ...(retryNum ? { retryNum: Number(retryNum) } : {}),
      ...(retryReason ? { retryReason } : {}),
      ack: async (out?: unknown) => {
        if (acked) return;
        acked = true;
        if (out === undefined || out === null || out === '') resolveAck(new Response('', { status: 200 }));
        else if (typeof out === 'string') resolveAck(new Response(out, { status: 200 }));
        else resolveAck(Response.json(out));
      },
    };
    app
      .processEvent(event)
      .then(() => {
        if (!acked) resolveAck(new Response('', { status: 404 }));
      })
      .catch((err: unknown) => {
        this.opts.onError(err);
        if (!acked) resolveAck(new Response('', { status: 500 }));
      });
    const timeout = setTimeout(() => {
      if (!acked) resolveAck(new Response('', { status: 200 }));
    }, this.opts.ackTimeoutMs ?? 2500);
    const res = await response;
    clearTimeout(timeout);
    return res;
  }
}
