import { parse as parseQuery } from 'node:querystring';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { verifySlackRequest } from '@slack/bolt';

export interface RefusedRequest {
  code: 'bad_signature' | 'stale_request' | 'replayed' | 'invalid_body';
  message: string;
}

/** Drops entries older than `before` from a map kept in arrival order (oldest first). */
function expire(map: Map<string, number>, before: number): void {
  for (const [key, at] of map) {
    if (at >= before) return;
    map.delete(key);
  }
}

/** Payload types whose ack carries nothing: answered 200 as soon as they are verified. */
const ACK_FIRST = new Set(['block_actions', 'event_callback']);

/**
 * A Bolt receiver for a request the host's own HTTP server (Hono) received: signature and timestamp
 * are verified by Bolt's `verifySlackRequest` (HMAC-SHA256 over v0:timestamp:body, at most 5 minutes
 * old), a signature seen before is refused as a replay.
 *
 * Button clicks and Events API events are acknowledged as soon as they are verified and parsed (their
 * ack has no body, and Slack ignores one), and Bolt processes them afterwards through `dispatch`: the
 * ack of a burst of clicks does not wait for Bolt's middleware or the listeners of the clicks before
 * it. Other payloads (slash commands, whose ack may carry a reply; view submissions and option
 * requests, whose ack must) get their response when the listener calls `ack()`. Either way the work
 * continues after the response (Slack's 3-second limit).
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
      /** Runs Bolt's processing of an already-acknowledged event later (default: at once). */
      dispatch?: (run: () => Promise<void>) => void;
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

  /** One HTTP request from Slack: its raw body (the signature covers the exact bytes) and headers. */
  async handle(rawBody: string, headers: Headers): Promise<Response> {
    this.inflight++;
    this.lastArrival = performance.now();
    try {
      return await this.receive(rawBody, headers);
    } finally {
      this.inflight--;
      this.lastArrival = performance.now();
    }
  }

  private async receive(rawBody: string, headers: Headers): Promise<Response> {
    const signature = headers.get('x-slack-signature') ?? '';
    const ts = Number(headers.get('x-slack-request-timestamp') ?? Number.NaN);
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
    expire(this.seen, nowMs - 6 * 60_000);
    if (this.seen.has(signature))
      return this.refuse('replayed', 'this exact signed request was already received');
    this.seen.set(signature, nowMs);

    let body: Record<string, unknown>;
    try {
      const type = headers.get('content-type') ?? '';
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
      expire(this.events, nowMs - 60 * 60_000);
      if (this.events.has(body.event_id)) return new Response('', { status: 200 });
      this.events.set(body.event_id, nowMs);
    }
    if (body.type === 'url_verification') return Response.json({ challenge: body.challenge });

    const app = this.app;
    if (!app) return new Response('', { status: 503 });
    const retryNum = headers.get('x-slack-retry-num');
    const retryReason = headers.get('x-slack-retry-reason');
    const retry = {
      ...(retryNum ? { retryNum: Number(retryNum) } : {}),
      ...(retryReason ? { retryReason } : {}),
    };
    if (typeof body.type === 'string' && ACK_FIRST.has(body.type)) {
      const run = () =>
        app.processEvent({ body, ...retry, ack: async () => {} }).catch((err: unknown) => {
          this.opts.onError(err);
        });
      if (this.opts.dispatch) this.opts.dispatch(run);
      else void run();
      return new Response('', { status: 200 });
    }
    let acked = false;
    let resolveAck: (r: Response) => void = () => {};
    const response = new Promise<Response>((r) => {
      resolveAck = r;
    });
    const event: ReceiverEvent = {
      body,
      ...retry,
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
