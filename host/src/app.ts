import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DevopsAiError, describeError, secretsEqual } from '@devops-ai/core';
import {
  type Copilot,
  createCopilot,
  createUsageTracker,
  selectModel,
  type ToolGateway,
} from '@devops-ai/graphs';
import type { ToolManifest } from '@devops-ai/mcp-kit';
import { createPolicyEngine, DEFAULT_POLICY_DIR, loadPolicyDir } from '@devops-ai/policies';
import type { SandboxWorld } from '@devops-ai/sandbox';
import { incidentInputSchema } from '@devops-ai/sandbox';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import { eq } from 'drizzle-orm';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { z } from 'zod';
import { alertmanagerPayloadSchema, createAlertStore } from './alerts.js';
import { approvalView, createApprovalService, describeApproval } from './approval-service.js';
import { createEventBus, type HostEvent } from './events.js';
import { createHostMetrics } from './metrics.js';
import { createApprovalStore } from './store/approvals.js';
import { createAuditLog } from './store/audit.js';
import { openHostDb } from './store/db.js';
import { conversations } from './store/schema.js';
import type { HostUser, UserRegistry } from './users.js';

const here = dirname(fileURLToPath(import.meta.url));
const PROMPT_PATH = join(here, '..', '..', 'prompts', 'system.md');
const WEB_DIR = join(here, '..', 'web');

export interface HostOptions {
  dataDir: string;
  model: string;
  env: Record<string, string | undefined>;
  users: UserRegistry;
  gateway: ToolGateway;
  manifests: ToolManifest[];
  approvalTtlMs: number;
  sandbox?: SandboxWorld | undefined;
  now?: () => Date;
  /** A folder of *.cedar policies and schema.cedarschema; default: the shipped policies/. */
  policyDir?: string;
  /** A chat model instance instead of `model` (tests, evals with a scripted model). */
  chatModel?: BaseChatModel;
  /** Bearer token Alertmanager sends to /webhooks/alertmanager; without it the webhook is off. */
  alertmanagerToken?: string | undefined;
}

const chatBody = z.object({
  text: z.string().trim().min(1, 'text is empty').max(4000, 'text is longer than 4000 characters'),
  conversation: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'conversation ids use letters, digits, . _ : - (at most 128)')
    .optional(),
});
const decisionBody = z.object({ reason: z.string().trim().max(1000).optional() }).strict();
const advanceBody = z
  .object({
    minutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60),
  })
  .strict();
const statusQuery = z
  .enum(['pending', 'approved', 'executing', 'executed', 'failed', 'rejected', 'expired'])
  .optional();

type Env = { Variables: { user: HostUser } };

/** Paths only platforms call, answered with a status and no page. */
const MACHINE_WEBHOOKS = new Set(['/slack/events', '/telegram/webhook', '/webhooks/alertmanager']);

function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details ? { details } : {}) } };
}

function zodIssues(err: z.ZodError) {
  return err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

async function readJson(c: Context): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const text = await c.req.text();
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export async function createHost(opts: HostOptions) {
  const db = openHostDb(join(opts.dataDir, 'host.db'));
  const checkpointer = SqliteSaver.fromConnString(join(opts.dataDir, 'checkpoints.db'));
  const events = createEventBus();
  const EVENT_OF: Partial<Record<string, HostEvent['type']>> = {
    pending: 'approval.requested',
    approved: 'approval.approved',
    rejected: 'approval.rejected',
    expired: 'approval.expired',
    executed: 'approval.executed',
    failed: 'approval.failed',
  };
  const store = createApprovalStore(db, {
    ttlMs: opts.approvalTtlMs,
    ...(opts.now ? { now: opts.now } : {}),
    onTransition: (a) => {
      const type = EVENT_OF[a.status];
      if (type) events.emit({ type, approval: approvalView(a) } as HostEvent);
    },
  });
  const alertStore = createAlertStore(db, opts.now);
  /** The web console's notification feed: the last 500 host events, numbered. */
  const feed: Array<{ seq: number; at: string; event: HostEvent }> = [];
  let seq = 0;
  events.subscribe((event) => {
    feed.push({ seq: ++seq, at: (opts.now?.() ?? new Date()).toISOString(), event });
    if (feed.length > 500) feed.shift();
  });
  const auditLog = createAuditLog(db, opts.now);
  const metrics = createHostMetrics(() => store.list('pending').length);
  const audit = metrics.instrumentAudit(auditLog);
  const gateway = metrics.instrumentGateway(opts.gateway);
  const policy = createPolicyEngine(loadPolicyDir(opts.policyDir ?? DEFAULT_POLICY_DIR), {
    users: opts.users.all(),
  });
  const usage = createUsageTracker({
    onRecord: (r) => {
      metrics.modelTokens.inc({ provider: r.provider, model: r.model, kind: 'input' }, r.inputTokens);
      metrics.modelTokens.inc({ provider: r.provider, model: r.model, kind: 'output' }, r.outputTokens);
      if (r.costUsd !== null) metrics.modelCost.inc({ provider: r.provider, model: r.model }, r.costUsd);
    },
  });
  const { model, label: modelLabel } = opts.chatModel
    ? { model: opts.chatModel, label: opts.model }
    : selectModel(opts.model, opts.env, usage);
  const manifestEntry = (server: string, tool: string) =>
    opts.manifests.find((m) => m.server === server)?.tools.find((t) => t.name === tool);

  const copilot: Copilot = createCopilot({
    model,
    gateway,
    policy,
    approvals: store,
    audit,
    users: opts.users,
    systemPrompt: readFileSync(PROMPT_PATH, 'utf8'),
    checkpointer,
    describeApproval,
  });
  const approvals = createApprovalService({
    store,
    policy,
    users: opts.users,
    audit,
    copilot,
    manifest: manifestEntry,
  });

  /**
   * Binds a conversation to the user who started it. Channel threads (Slack, Telegram) are shared by
   * everyone in them; any other conversation is private to its owner, so nobody reads or steers another
   * user's history by guessing its id.
   */
  function claimConversation(id: string, user: HostUser, shared: boolean) {
    const row = db.select().from(conversations).where(eq(conversations.id, id)).get();
    if (!row) {
      db.insert(conversations)
        .values({ id, owner: user.id, shared: shared ? 1 : 0, createdAt: new Date().toISOString() })
        .onConflictDoNothing()
        .run();
      return;
    }
    if (row.owner !== user.id && !(row.shared === 1 && shared)) {
      audit.append({
        type: 'conversation.refused',
        actor: user.id,
        conversation: id,
        data: { owner: row.owner },
      });
      throw new DevopsAiError('forbidden', `conversation ${id} belongs to another user`);
    }
  }

  /** The one chat pipeline every channel (HTTP, web console, terminal) feeds. */
  async function chat(
    user: HostUser,
    text: string,
    conversationId?: string,
    opts: { shared?: boolean } = {},
  ) {
    const conversation = conversationId ?? `c_${randomUUID()}`;
    claimConversation(conversation, user, opts.shared === true);
    audit.append({ type: 'chat.message', actor: user.id, conversation, data: { text } });
    await approvals.expireDue();
    const turn = await copilot.chat({ conversation, userId: user.id, text });
    audit.append({
      type: 'chat.reply',
      actor: 'copilot',
      conversation,
      data: { waitingFor: turn.waitingFor, length: turn.reply.length },
    });
    const list = turn.waitingFor.map((id) => store.get(id)).filter((a) => a !== undefined);
    return { conversation, reply: turn.reply, approvals: list.map(approvalView) };
  }

  const app = new Hono<Env>();
  app.use('*', async (c, next) => {
    const start = performance.now();
    await next();
    const route = c.req.routePath || 'unmatched';
    metrics.httpDuration.observe(
      { method: c.req.method, route, status: String(c.res.status) },
      (performance.now() - start) / 1000,
    );
  });
  const browserHeaders = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
    },
  });
  // Security headers protect what a browser renders. Platform webhooks (Slack, Telegram, Alertmanager)
  // get an empty status from a machine; setting a dozen headers on each is a fifth of a Slack ack.
  app.use('*', (c, next) => (MACHINE_WEBHOOKS.has(c.req.path) ? next() : browserHeaders(c, next)));
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: 64 * 1024,
      onError: (c) => c.json(errorBody('invalid_argument', 'body larger than 64 KiB'), 413),
    }),
  );
  app.onError((err, c) => {
    const { code } = describeError(err);
    process.stderr.write(
      `host: ${c.req.method} ${c.req.path} failed: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    return c.json(
      errorBody(code === 'internal' ? 'internal' : code, 'the request failed; see the host log'),
      500,
    );
  });
  app.notFound((c) => c.json(errorBody('not_found', `no route ${c.req.method} ${c.req.path}`), 404));

  app.get('/healthz', (c) =>
    c.json({ ok: true, model: modelLabel, tools: gateway.tools().length, sandbox: Boolean(opts.sandbox) }),
  );
  app.get('/metrics', async (c) => {
    c.header('Content-Type', metrics.registry.contentType);
    return c.body(await metrics.registry.metrics());
  });
  const asset = (file: string, type: string) => (c: Context) => {
    c.header('Content-Type', type);
    c.header('Cache-Control', 'no-store');
    return c.body(readFileSync(join(WEB_DIR, file), 'utf8'));
  };
  app.get('/', asset('index.html', 'text/html; charset=utf-8'));
  app.get('/console.js', asset('console.js', 'text/javascript; charset=utf-8'));
  app.get('/console.css', asset('console.css', 'text/css; charset=utf-8'));

  app.post('/webhooks/alertmanager', async (c) => {
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const refuse = (status: 400 | 401 | 404, code: string, message: string) => {
      process.stderr.write(`host: alertmanager webhook refused (${status} ${code}): ${message}\n`);
      audit.append({ type: 'webhook.refused', actor: 'alertmanager', data: { status, code, message } });
      return c.json(errorBody(code, message), status);
    };
    if (!opts.alertmanagerToken)
      return refuse(404, 'not_available', 'the Alertmanager webhook is not configured');
    if (!token || !secretsEqual(token, opts.alertmanagerToken))
      return refuse(401, 'unauthenticated', 'bad or missing bearer token');
    const body = await readJson(c);
    if (!body.ok) return refuse(400, 'invalid_argument', 'body is not valid JSON');
    const parsed = alertmanagerPayloadSchema.safeParse(body.value);
    if (!parsed.success) {
      const issues = zodIssues(parsed.error)
        .map((i) => `${i.path}: ${i.message}`)
        .join('; ');
      return refuse(400, 'invalid_argument', `not an Alertmanager v4 payload: ${issues}`);
    }
    const changed = alertStore.ingest(parsed.data);
    for (const alert of changed) {
      audit.append({
        type: `alert.${alert.status}`,
        actor: 'alertmanager',
        subject: alert.fingerprint,
        data: { name: alert.name, labels: alert.labels },
      });
      events.emit({ type: alert.status === 'firing' ? 'alert.firing' : 'alert.resolved', alert });
    }
    return c.json({ received: parsed.data.alerts.length, changed: changed.length });
  });

  app.use('/api/*', async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const user = opts.users.authenticate(token);
    if (!user) {
      c.header('WWW-Authenticate', 'Bearer');
      return c.json(errorBody('unauthenticated', 'a valid bearer token is required'), 401);
    }
    c.set('user', user);
    await next();
  });

  app.get('/api/me', (c) => {
    const u = c.get('user');
    return c.json({ id: u.id, name: u.name, roles: u.roles, model: modelLabel, demo: opts.users.demo });
  });

  app.post('/api/chat', async (c) => {
    const body = await readJson(c);
    if (!body.ok) return c.json(errorBody('invalid_argument', 'body is not valid JSON'), 400);
    const parsed = chatBody.safeParse(body.value);
    if (!parsed.success)
      return c.json(errorBody('invalid_argument', 'invalid chat request', zodIssues(parsed.error)), 400);
    try {
      return c.json(await chat(c.get('user'), parsed.data.text, parsed.data.conversation));
    } catch (err) {
      if (err instanceof DevopsAiError && err.code === 'forbidden')
        return c.json(errorBody('forbidden', err.message), 403);
      throw err;
    }
  });

  app.get('/api/approvals', async (c) => {
    const status = statusQuery.safeParse(c.req.query('status') || undefined);
    if (!status.success)
      return c.json(
        errorBody(
          'invalid_argument',
          'status must be one of pending, approved, executing, executed, failed, rejected, expired',
        ),
        400,
      );
    await approvals.expireDue();
    return c.json({ approvals: store.list(status.data).map(approvalView) });
  });

  app.get('/api/approvals/:id', (c) => {
    const a = store.get(c.req.param('id'));
    return a
      ? c.json({ approval: approvalView(a) })
      : c.json(errorBody('approval_not_found', 'no such approval'), 404);
  });

  for (const action of ['approve', 'reject'] as const) {
    app.post(`/api/approvals/:id/${action}`, async (c) => {
      const body = await readJson(c);
      if (!body.ok) return c.json(errorBody('invalid_argument', 'body is not valid JSON'), 400);
      const parsed = decisionBody.safeParse(body.value);
      if (!parsed.success)
        return c.json(errorBody('invalid_argument', 'invalid decision', zodIssues(parsed.error)), 400);
      const out = await approvals.decide(
        c.req.param('id'),
        c.get('user'),
        action,
        parsed.data.reason ?? null,
      );
      return c.json(out.body, out.status);
    });
  }

  app.get('/api/alerts', (c) => {
    const status = z
      .enum(['firing', 'resolved'])
      .optional()
      .safeParse(c.req.query('status') || undefined);
    if (!status.success)
      return c.json(errorBody('invalid_argument', 'status must be firing or resolved'), 400);
    return c.json({ alerts: alertStore.list(status.data) });
  });

  app.get('/api/notifications', (c) => {
    const after = z.coerce
      .number()
      .int()
      .min(0)
      .default(0)
      .safeParse(c.req.query('after') || undefined);
    if (!after.success) return c.json(errorBody('invalid_argument', 'after must be ≥ 0'), 400);
    return c.json({ notifications: feed.filter((n) => n.seq > after.data), last: seq });
  });

  app.get('/api/audit', (c) => {
    const limit = z.coerce
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(100)
      .safeParse(c.req.query('limit') || undefined);
    const after = z.coerce
      .number()
      .int()
      .min(0)
      .default(0)
      .safeParse(c.req.query('after') || undefined);
    if (!limit.success || !after.success)
      return c.json(errorBody('invalid_argument', 'limit 1..1000, after ≥ 0'), 400);
    return c.json({
      entries: auditLog.list({ limit: limit.data, afterId: after.data }),
      verification: auditLog.verify(),
    });
  });

  const sandbox = opts.sandbox;
  const needsSandbox = (c: Context) =>
    c.json(errorBody('not_available', 'the host is not running on the sandbox world'), 404);
  const mayOperate = (u: HostUser) => u.roles.includes('engineer') || u.roles.includes('approver');
  app.get('/api/sandbox', (c) => (sandbox ? c.json(sandbox.snapshot()) : needsSandbox(c)));
  app.post('/api/sandbox/advance', async (c) => {
    if (!sandbox) return needsSandbox(c);
    if (!mayOperate(c.get('user')))
      return c.json(errorBody('forbidden', 'only engineers and approvers drive the sandbox'), 403);
    const body = await readJson(c);
    if (!body.ok) return c.json(errorBody('invalid_argument', 'body is not valid JSON'), 400);
    const parsed = advanceBody.safeParse(body.value);
    if (!parsed.success)
      return c.json(errorBody('invalid_argument', 'invalid advance request', zodIssues(parsed.error)), 400);
    const r = sandbox.advance(parsed.data.minutes);
    audit.append({
      type: 'sandbox.advance',
      actor: c.get('user').id,
      data: { minutes: parsed.data.minutes, clock: r.clock },
    });
    return c.json(r);
  });
  app.post('/api/sandbox/incidents', async (c) => {
    if (!sandbox) return needsSandbox(c);
    if (!mayOperate(c.get('user')))
      return c.json(errorBody('forbidden', 'only engineers and approvers drive the sandbox'), 403);
    const body = await readJson(c);
    if (!body.ok) return c.json(errorBody('invalid_argument', 'body is not valid JSON'), 400);
    const parsed = incidentInputSchema.safeParse(body.value);
    if (!parsed.success)
      return c.json(errorBody('invalid_argument', 'invalid incident', zodIssues(parsed.error)), 400);
    try {
      const incident = sandbox.injectIncident(parsed.data);
      audit.append({ type: 'sandbox.incident', actor: c.get('user').id, data: { ...parsed.data } });
      return c.json({ incident }, 201);
    } catch (err) {
      const e = describeError(err);
      return c.json(errorBody(e.code, e.message), e.code === 'not_found' ? 404 : 400);
    }
  });

  const sweeper = setInterval(() => {
    approvals
      .expireDue()
      .catch((err: unknown) => process.stderr.write(`host: expiry sweep failed: ${String(err)}\n`));
  }, 15_000);
  sweeper.unref();

  return {
    app,
    chat,
    policy,
    events,
    alerts: alertStore,
    users: opts.users,
    copilot,
    approvals,
    store,
    audit: auditLog,
    metrics,
    modelLabel,
    async close() {
      clearInterval(sweeper);
      await gateway.close();
      db.$client.close();
      (checkpointer as unknown as { db: { close(): void } }).db.close();
      opts.sandbox?.close();
    },
  };
}

export type Host = Awaited<ReturnType<typeof createHost>>;
